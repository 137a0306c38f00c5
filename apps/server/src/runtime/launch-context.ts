import type { CmiState, LaunchContext, LaunchObjective, SharedDataStore } from '@scormflow/cmi';
import type { Course, CourseItem, Learner, ScoState } from '@scormflow/db';

interface ModelItem {
  identifier?: string;
  children?: ModelItem[];
  data?: { targetID?: string; readSharedData?: boolean; writeSharedData?: boolean }[];
  sequencing?: {
    objectives?: {
      primaryObjective?: ModelObjective | null;
      objectives?: ModelObjective[];
    };
  } | null;
}

interface ModelMapInfo {
  targetObjectiveID?: string;
  readSatisfiedStatus?: boolean;
  readNormalizedMeasure?: boolean;
  writeSatisfiedStatus?: boolean;
  writeNormalizedMeasure?: boolean;
}

interface ModelObjective {
  objectiveID?: string | null;
  satisfiedByMeasure?: boolean;
  minNormalizedMeasure?: number;
  mapInfo?: ModelMapInfo[];
}

/** The manifest items of the default organization in the course model stored at import, by identifier. */
function modelItems(course: Course): Map<string, ModelItem> {
  const model = course.model as {
    manifest?: { defaultOrganization?: { items?: ModelItem[] } | null };
  } | null;
  const out = new Map<string, ModelItem>();
  const stack = [...(model?.manifest?.defaultOrganization?.items ?? [])];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.identifier) out.set(item.identifier, item);
    stack.push(...(item.children ?? []));
  }
  return out;
}

function objectivesOf(item: ModelItem | undefined): ModelObjective[] {
  const o = item?.sequencing?.objectives;
  return [...(o?.primaryObjective ? [o.primaryObjective] : []), ...(o?.objectives ?? [])];
}

interface GlobalObjective {
  successStatus?: 'passed' | 'failed';
  scaled?: number;
}

/**
 * The global objectives of the attempt as the SCOs wrote them: for every local objective with a
 * `mapInfo` that writes its satisfied status or normalized measure, the value the SCO's state holds
 * (the most recently updated state wins).
 * @see SCORM 2004 4th Ed SN 3.10.2 (objective map) and CAM 5.1.1.6.1.2 (imsss:mapInfo)
 */
function globalObjectives(
  items: Map<string, ModelItem>,
  states: readonly ScoState[],
): Map<string, GlobalObjective> {
  const out = new Map<string, GlobalObjective>();
  const ordered = [...states].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  for (const s of ordered) {
    const state = s.state as CmiState;
    const count = state.counts['cmi.objectives'] ?? 0;
    for (const objective of objectivesOf(items.get(s.itemIdentifier))) {
      const writes = (objective.mapInfo ?? []).filter(
        (m): m is ModelMapInfo & { targetObjectiveID: string } =>
          typeof m.targetObjectiveID === 'string' &&
          (m.writeSatisfiedStatus === true || m.writeNormalizedMeasure === true),
      );
      if (writes.length === 0 || !objective.objectiveID) continue;
      let at = -1;
      for (let i = 0; i < count; i++)
        if (state.values[`cmi.objectives.${i}.id`] === objective.objectiveID) at = i;
      if (at === -1) continue;
      const success = state.values[`cmi.objectives.${at}.success_status`];
      const scaled = Number.parseFloat(state.values[`cmi.objectives.${at}.score.scaled`] ?? '');
      for (const m of writes) {
        const g = { ...out.get(m.targetObjectiveID) };
        if (m.writeSatisfiedStatus && (success === 'passed' || success === 'failed'))
          g.successStatus = success;
        if (m.writeNormalizedMeasure && Number.isFinite(scaled)) g.scaled = scaled;
        out.set(m.targetObjectiveID, g);
      }
    }
  }
  return out;
}

/**
 * The current value of each shared data store in the attempt: the store of the most recently
 * updated SCO state that holds it (a store is shared by every SCO that maps it).
 */
function sharedStoreValues(states: readonly ScoState[]): Map<string, string> {
  const out = new Map<string, string>();
  const ordered = [...states].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  for (const s of ordered) {
    const state = s.state as CmiState;
    const count = state.counts['adl.data'] ?? 0;
    for (let i = 0; i < count; i++) {
      const id = state.values[`adl.data.${i}.id`];
      const store = state.values[`adl.data.${i}.store`];
      if (id !== undefined && store !== undefined) out.set(id, store);
    }
  }
  return out;
}

/**
 * What the LMS knows when it launches a SCO of an attempt: the learner, the item's manifest data
 * (mastery score, data from LMS, time limits, completion threshold), the scaled passing score and
 * objectives of its sequencing (with the satisfied status and normalized measure read through their
 * `mapInfo` from the global objectives other SCOs of the attempt wrote), its shared data stores
 * with their current values, and the state its previous session ended with (resume).
 * @see SCORM 2004 4th Ed RTE 4.2 (LMS-initialised elements), CAM 3.4.1.12 (item extensions)
 * @see SCORM 1.2 RTE 3.4 and CAM 2.3.5 (adlcp:masteryscore, datafromlms, maxtimeallowed)
 */
export function launchContextFor(input: {
  course: Course;
  item: CourseItem;
  learner: Learner;
  previous: ScoState | null;
  attemptStates: readonly ScoState[];
}): LaunchContext {
  const { course, item, learner, previous } = input;
  const data = item.data as {
    masteryScore?: number;
    maxTimeAllowed?: string;
    timeLimitAction?: string;
    dataFromLms?: string;
    completionThreshold?: { completedByMeasure?: boolean; minProgressMeasure?: number } | number;
  };
  const ctx: { -readonly [K in keyof LaunchContext]: LaunchContext[K] } = {
    learnerId: learner.externalId,
    learnerName: learner.name ?? '',
    credit: 'credit',
    mode: 'normal',
  };
  if (typeof data.masteryScore === 'number') ctx.masteryScore = data.masteryScore;
  if (typeof data.maxTimeAllowed === 'string') ctx.maxTimeAllowed = data.maxTimeAllowed;
  if (typeof data.timeLimitAction === 'string') ctx.timeLimitAction = data.timeLimitAction;
  if (typeof data.dataFromLms === 'string') ctx.launchData = data.dataFromLms;
  const threshold = data.completionThreshold;
  if (typeof threshold === 'number') ctx.completionThreshold = threshold;
  else if (threshold?.completedByMeasure && typeof threshold.minProgressMeasure === 'number') {
    ctx.completionThreshold = threshold.minProgressMeasure;
  }

  const items = course.scormVersion === '1.2' ? new Map<string, ModelItem>() : modelItems(course);
  const model = items.get(item.identifier) ?? null;
  const primary = model?.sequencing?.objectives?.primaryObjective;
  if (primary?.satisfiedByMeasure && typeof primary.minNormalizedMeasure === 'number') {
    ctx.scaledPassingScore = primary.minNormalizedMeasure;
  }
  const globals = globalObjectives(items, input.attemptStates);
  const launchObjectives: LaunchObjective[] = [];
  for (const o of objectivesOf(model ?? undefined)) {
    if (!o.objectiveID || launchObjectives.some((l) => l.id === o.objectiveID)) continue;
    let read: { -readonly [K in keyof LaunchObjective]: LaunchObjective[K] } = { id: o.objectiveID };
    for (const m of o.mapInfo ?? []) {
      const g = m.targetObjectiveID ? globals.get(m.targetObjectiveID) : undefined;
      if (!g) continue;
      if (m.readSatisfiedStatus !== false && g.successStatus)
        read = { ...read, successStatus: g.successStatus };
      if (m.readNormalizedMeasure !== false && g.scaled !== undefined) read = { ...read, scaled: g.scaled };
    }
    launchObjectives.push(read);
  }
  if (launchObjectives.length > 0) ctx.objectives = launchObjectives;
  if (model?.data && model.data.length > 0) {
    const values = sharedStoreValues(input.attemptStates);
    ctx.sharedData = model.data
      .filter(
        (d): d is { targetID: string; readSharedData?: boolean; writeSharedData?: boolean } =>
          typeof d.targetID === 'string',
      )
      .map((d): SharedDataStore => {
        const store = values.get(d.targetID);
        return {
          id: d.targetID,
          readSharedData: d.readSharedData !== false,
          writeSharedData: d.writeSharedData === true,
          ...(store === undefined ? {} : { store }),
        };
      });
  }
  if (previous) ctx.resume = previous.state as CmiState;
  return ctx;
}
