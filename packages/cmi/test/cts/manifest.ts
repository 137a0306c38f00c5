/**
 * Reads the few launch facts the CTS test packages declare per activity (RTE 4.2, "LMS
 * initialization" columns; CAM 5.1 adlcp / imsss elements). A deliberately small XML reader:
 * the test manifests are plain, namespace-prefixed, well-formed files.
 */

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

/** Parses well-formed XML into a tree (no DTD support; comments and PIs are dropped). */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re =
    /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const top = stack[stack.length - 1] as XmlNode;
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      if (stack.length > 1) stack.pop();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      const ar = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
      for (let a = ar.exec(m[4] ?? ''); a !== null; a = ar.exec(m[4] ?? '')) {
        attrs[a[1] as string] = decodeEntities(a[2] ?? a[3] ?? '');
      }
      const node: XmlNode = { name: m[3], attrs, children: [], text: '' };
      top.children.push(node);
      if (m[5] !== '/') stack.push(node);
    } else if (m[6] !== undefined) top.text += decodeEntities(m[6]);
  }
  return root;
}

function local(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}
function kids(n: XmlNode, name: string): XmlNode[] {
  return n.children.filter((c) => local(c.name) === name);
}
function kid(n: XmlNode | undefined, name: string): XmlNode | undefined {
  return n ? kids(n, name)[0] : undefined;
}
function walk(n: XmlNode, visit: (n: XmlNode) => void): void {
  visit(n);
  for (const c of n.children) walk(c, visit);
}

export interface SharedDataMap {
  targetId: string;
  readSharedData: boolean;
  writeSharedData: boolean;
}

/** An imsss:mapInfo of one objective: how it reads and writes a global objective. */
export interface ObjectiveMap {
  objectiveId: string;
  targetId: string;
  readSatisfiedStatus: boolean;
  readNormalizedMeasure: boolean;
  writeSatisfiedStatus: boolean;
  writeNormalizedMeasure: boolean;
}

/** What the LMS must put into the run-time data model when it launches one activity. */
export interface ActivityLaunch {
  /** Item identifier (`activity_1`). */
  identifier: string;
  title: string;
  /** The `act=` launch parameter the test SCO reports (`1`, `1a`). */
  act: string;
  /** The `tc=` launch parameter (the test-case title). */
  tc: string;
  launchData?: string;
  maxTimeAllowed?: string;
  timeLimitAction?: string;
  completionThreshold?: string;
  scaledPassingScore?: string;
  /** Objective ids declared for the activity (primary first when it has an id). */
  objectiveIds: string[];
  /** Global objective maps of the activity's objectives (SN 3.10 defaults: read true, write false). */
  objectiveMaps: ObjectiveMap[];
  sharedData: SharedDataMap[];
}

export interface PackageLaunch {
  identifier: string;
  sharedDataGlobalToSystem: boolean;
  activities: ActivityLaunch[];
}

/** Reads the per-activity launch facts of one imsmanifest.xml. */
export function readPackageLaunch(xml: string): PackageLaunch {
  const doc = parseXml(xml);
  const manifest = doc.children.find((c) => local(c.name) === 'manifest');
  if (!manifest) throw new Error('no <manifest> element');
  const collections = new Map<string, XmlNode>();
  for (const coll of kids(manifest, 'sequencingCollection')) {
    for (const s of kids(coll, 'sequencing')) if (s.attrs.ID) collections.set(s.attrs.ID, s);
  }
  const activities: ActivityLaunch[] = [];
  let globalToSystem = true;
  walk(manifest, (n) => {
    if (local(n.name) === 'organization' && n.attrs['adlcp:sharedDataGlobalToSystem'] === 'false') {
      globalToSystem = false;
    }
    if (local(n.name) !== 'item' || n.attrs.identifierref === undefined) return;
    const params = new URLSearchParams((n.attrs.parameters ?? '').replace(/^\?/, ''));
    const own = kid(n, 'sequencing');
    const shared = own?.attrs.IDRef ? collections.get(own.attrs.IDRef) : undefined;
    // The item's own sequencing overrides the referenced collection, element by element.
    const pick = (name: string) => kid(own, name) ?? kid(shared, name);
    const launch: ActivityLaunch = {
      identifier: n.attrs.identifier ?? '',
      title: kid(n, 'title')?.text.trim() ?? '',
      act: params.get('act') ?? '',
      tc: params.get('tc') ?? '',
      objectiveIds: [],
      objectiveMaps: [],
      sharedData: [],
    };
    const dataFromLms = kid(n, 'dataFromLMS');
    if (dataFromLms) launch.launchData = dataFromLms.text;
    const tla = kid(n, 'timeLimitAction');
    if (tla) launch.timeLimitAction = tla.text.trim();
    const ct = kid(n, 'completionThreshold');
    if (ct && ct.attrs.completedByMeasure === 'true') {
      launch.completionThreshold = ct.attrs.minProgressMeasure ?? '1.0';
    }
    const limit = pick('limitConditions');
    if (limit?.attrs.attemptAbsoluteDurationLimit)
      launch.maxTimeAllowed = limit.attrs.attemptAbsoluteDurationLimit;
    const objectives = pick('objectives');
    if (objectives) {
      const primary = kid(objectives, 'primaryObjective');
      if (primary?.attrs.satisfiedByMeasure === 'true') {
        launch.scaledPassingScore = kid(primary, 'minNormalizedMeasure')?.text.trim() || '1.0';
      }
      for (const o of [...(primary ? [primary] : []), ...kids(objectives, 'objective')]) {
        const id = o.attrs.objectiveID;
        if (!id) continue;
        launch.objectiveIds.push(id);
        for (const m of kids(o, 'mapInfo')) {
          launch.objectiveMaps.push({
            objectiveId: id,
            targetId: m.attrs.targetObjectiveID ?? '',
            readSatisfiedStatus: m.attrs.readSatisfiedStatus !== 'false',
            readNormalizedMeasure: m.attrs.readNormalizedMeasure !== 'false',
            writeSatisfiedStatus: m.attrs.writeSatisfiedStatus === 'true',
            writeNormalizedMeasure: m.attrs.writeNormalizedMeasure === 'true',
          });
        }
      }
    }
    const data = kid(n, 'data');
    for (const map of data ? kids(data, 'map') : []) {
      launch.sharedData.push({
        targetId: map.attrs.targetID ?? '',
        readSharedData: map.attrs.readSharedData !== 'false',
        writeSharedData: map.attrs.writeSharedData !== 'false',
      });
    }
    activities.push(launch);
  });
  return {
    identifier: manifest.attrs.identifier ?? '',
    sharedDataGlobalToSystem: globalToSystem,
    activities,
  };
}
