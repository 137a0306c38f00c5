import { describe, expect, it } from 'vitest';
import type { Item, Manifest } from '../src/model.js';
import { parseManifest } from '../src/parse-manifest.js';
import { flattenItems, launchableItems } from '../src/tree.js';
import { codes, fixture } from './helpers.js';

function parsed(name: string): { manifest: Manifest; codes: string[] } {
  const r = parseManifest(fixture(name));
  if (r.manifest === null) throw new Error(`${name} did not parse: ${JSON.stringify(r.diagnostics)}`);
  return { manifest: r.manifest, codes: codes(r.diagnostics) };
}

function item(m: Manifest, id: string): Item {
  const found = m.organizations.flatMap((o) => flattenItems(o.items)).find((i) => i.identifier === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

describe('SCORM 1.2 multi-SCO manifest', () => {
  const { manifest: m, codes: found } = parsed('scorm12-multi-sco.xml');

  it('reads the manifest header, metadata and LOM title', () => {
    expect(m.identifier).toBe('course.12');
    expect(m.version).toBe('1.3');
    expect(m.base).toBe('course/');
    expect(m.scormVersion).toBe('1.2');
    expect(m.metadata).toEqual({
      schema: 'ADL SCORM',
      schemaVersion: '1.2',
      title: 'Safety Basics (LOM)',
      description: 'A two-lesson course.',
    });
    expect(m.defaultOrganizationId).toBe('ORG-1');
    expect(m.defaultOrganization?.title).toBe('Safety Basics');
    expect(m.organizations[0]?.sequencing).toBeNull();
  });

  it('keeps the item tree with aggregation items', () => {
    const org = m.defaultOrganization!;
    expect(org.items.map((i) => i.identifier)).toEqual(['MODULE-1', 'QUIZ']);
    const module1 = org.items[0]!;
    expect(module1.resource).toBeNull();
    expect(module1.launchUrl).toBeNull();
    expect(module1.children.map((i) => i.identifier)).toEqual(['LESSON-1', 'LESSON-2']);
    expect(flattenItems(org.items).map((i) => i.identifier)).toEqual([
      'MODULE-1',
      'LESSON-1',
      'LESSON-2',
      'QUIZ',
    ]);
    expect(launchableItems(org.items).map((i) => i.identifier)).toEqual(['LESSON-1', 'LESSON-2', 'QUIZ']);
  });

  it('resolves one resource shared by several items, each with its own launch URL', () => {
    const l1 = item(m, 'LESSON-1');
    const l2 = item(m, 'LESSON-2');
    expect(l1.resource).toBe(l2.resource);
    expect(l1.resource?.resolvedHref).toBe('course/content/lessons/lesson.html?v=2');
    expect(l1.launchUrl).toBe('course/content/lessons/lesson.html?v=2&lesson=1');
    expect(l2.launchUrl).toBe('course/content/lessons/lesson.html?v=2&lesson=2');
    expect(l2.isvisible).toBe(false);
    expect(item(m, 'QUIZ').launchUrl).toBe('course/content/quiz/index.html#intro');
  });

  it('reads scormtype in any case and namespace prefix', () => {
    expect(m.resources.map((r) => [r.identifier, r.scormType])).toEqual([
      ['RES-SCO', 'sco'],
      ['RES-QUIZ', 'sco'],
      ['RES-COMMON', 'asset'],
    ]);
  });

  it('resolves file paths through the xml:base chain, decoded', () => {
    const sco = m.resources[0]!;
    expect(sco.files).toEqual([
      { href: 'lesson.html', path: 'course/content/lessons/lesson.html' },
      { href: '../shared/api.js', path: 'course/content/shared/api.js' },
    ]);
    expect(sco.dependencies).toEqual(['RES-COMMON']);
    expect(m.resources[1]!.files[1]).toEqual({
      href: 'quiz/my%20image.png',
      path: 'course/content/quiz/my image.png',
    });
  });

  it('reads the SCORM 1.2 item data', () => {
    const l1 = item(m, 'LESSON-1');
    expect(l1.masteryScore).toBe(80);
    expect(l1.maxTimeAllowed).toBe('00:30:00');
    expect(l1.timeLimitAction).toBe('exit,message');
    expect(l1.dataFromLms).toBe('mode=review');
    expect(item(m, 'LESSON-2').prerequisites).toEqual({ value: 'LESSON-1', type: 'aicc_script' });
    expect(item(m, 'QUIZ').prerequisites).toEqual({ value: 'LESSON-1 & LESSON-2', type: 'aicc_script' });
    expect(l1.sequencing).toBeNull();
  });

  it('reports a mastery score on only some SCOs', () => {
    expect(found).toEqual(['MASTERYSCORE_PARTIAL']);
  });

  it('records element positions', () => {
    expect(item(m, 'LESSON-1').position).toEqual({ line: 21, column: 9 });
    expect(m.resources[0]!.position).toEqual({ line: 40, column: 5 });
  });
});

describe('SCORM 2004 4th Edition sequencing', () => {
  const { manifest: m, codes: found } = parsed('scorm2004-4th-sequencing.xml');

  it('parses cleanly as 4th Edition', () => {
    expect(found).toEqual([]);
    expect(m.scormVersion).toBe('2004-4th');
    expect(m.metadata.title).toBe('Sequenced (LOM)');
  });

  it('reads organization flags', () => {
    const org = m.defaultOrganization!;
    expect(org.objectivesGlobalToSystem).toBe(false);
    expect(org.sharedDataGlobalToSystem).toBe(false);
    expect(org.sequencing?.controlMode).toMatchObject({ flow: true, choice: true, explicit: ['flow'] });
  });

  it('reads 2004 item data', () => {
    const p = item(m, 'PRETEST');
    expect(p.launchUrl).toBe('sco/player.html?part=pretest');
    expect(p.completionThreshold).toEqual({
      completedByMeasure: true,
      minProgressMeasure: 0.6,
      progressWeight: 0.5,
      form: 'attributes',
    });
    expect(p.timeLimitAction).toBe('continue,no message');
    expect(p.dataFromLms).toBe('pretest');
    expect(p.data).toEqual([
      { targetID: 'shared.notes', readSharedData: true, writeSharedData: true },
      { targetID: 'shared.prefs', readSharedData: false, writeSharedData: false },
    ]);
    expect(p.hideLmsUi).toEqual(['continue', 'previous']);
    expect(p.masteryScore).toBeNull();
  });

  it('reads the 3rd Edition completionThreshold element form', () => {
    expect(item(m, 'LESSON-A').completionThreshold).toEqual({
      completedByMeasure: true,
      minProgressMeasure: 0.8,
      progressWeight: 1,
      form: 'element',
    });
  });

  it('reads every part of an item sequencing', () => {
    const s = item(m, 'PRETEST').sequencing!;
    expect(s.controlMode).toEqual({
      choice: true,
      choiceExit: true,
      flow: false,
      forwardOnly: false,
      useCurrentAttemptObjectiveInfo: true,
      useCurrentAttemptProgressInfo: true,
      explicit: [],
    });
    expect(s.sequencingRules.preConditionRules).toEqual([
      {
        conditionCombination: 'any',
        conditions: [
          {
            referencedObjective: 'pretest.passed',
            measureThreshold: 0.5,
            operator: 'not',
            condition: 'objectiveMeasureGreaterThan',
          },
          { referencedObjective: null, measureThreshold: 0, operator: 'noOp', condition: 'attempted' },
        ],
        action: 'hiddenFromChoice',
      },
    ]);
    expect(s.sequencingRules.exitConditionRules.map((r) => r.action)).toEqual(['exit']);
    expect(s.sequencingRules.postConditionRules).toEqual([
      {
        conditionCombination: 'all',
        conditions: [
          { referencedObjective: null, measureThreshold: 0, operator: 'noOp', condition: 'always' },
        ],
        action: 'continue',
      },
    ]);
    expect(s.limitConditions).toEqual({
      attemptLimit: 2,
      attemptAbsoluteDurationLimit: 'PT1H30M',
      attemptExperiencedDurationLimit: null,
      activityAbsoluteDurationLimit: 'P1D',
      activityExperiencedDurationLimit: null,
      beginTimeLimit: '2026-01-01T08:00:00Z',
      endTimeLimit: null,
    });
    expect(s.auxiliaryResources).toEqual([{ auxiliaryResourceID: 'urn:aux:glossary', purpose: 'glossary' }]);
    expect(s.randomizationControls).toEqual({
      randomizationTiming: 'onEachNewAttempt',
      selectCount: 1,
      reorderChildren: true,
      selectionTiming: 'once',
    });
    expect(s.deliveryControls).toEqual({
      tracked: true,
      completionSetByContent: true,
      objectiveSetByContent: true,
    });
    expect(s.constrainedChoiceConsiderations).toEqual({ preventActivation: true, constrainChoice: true });
    expect(s.rollupConsiderations).toEqual({
      requiredForSatisfied: 'ifAttempted',
      requiredForNotSatisfied: 'ifNotSkipped',
      requiredForCompleted: 'ifNotSuspended',
      requiredForIncomplete: 'always',
      measureSatisfactionIfActive: false,
    });
  });

  it('reads objectives, map info and the adlseq extension', () => {
    const { primaryObjective, objectives } = item(m, 'PRETEST').sequencing!.objectives;
    expect(primaryObjective).toEqual({
      objectiveID: 'pretest.primary',
      satisfiedByMeasure: true,
      minNormalizedMeasure: 0.75,
      mapInfo: [
        {
          targetObjectiveID: 'g.pretest',
          readSatisfiedStatus: false,
          readNormalizedMeasure: true,
          writeSatisfiedStatus: true,
          writeNormalizedMeasure: true,
        },
      ],
      adlMapInfo: [
        {
          targetObjectiveID: 'g.pretest',
          readRawScore: true,
          readMinScore: true,
          readMaxScore: true,
          readCompletionStatus: true,
          readProgressMeasure: false,
          writeRawScore: true,
          writeMinScore: false,
          writeMaxScore: false,
          writeCompletionStatus: true,
          writeProgressMeasure: false,
        },
      ],
    });
    // The objective ID is an anyURI: white space collapsed, escapes decoded.
    expect(objectives.map((o) => o.objectiveID)).toEqual(['pretest.passed']);
    expect(objectives[0]).toMatchObject({ satisfiedByMeasure: false, minNormalizedMeasure: 1 });
    expect(objectives[0]!.mapInfo[0]).toEqual({
      targetObjectiveID: 'g.passed',
      readSatisfiedStatus: true,
      readNormalizedMeasure: true,
      writeSatisfiedStatus: false,
      writeNormalizedMeasure: false,
    });
  });

  it('reads rollup rules with their defaults', () => {
    const s = item(m, 'CHAPTER').sequencing!;
    expect(s.controlMode).toEqual({
      choice: false,
      choiceExit: false,
      flow: true,
      forwardOnly: true,
      useCurrentAttemptObjectiveInfo: false,
      useCurrentAttemptProgressInfo: false,
      explicit: [
        'choice',
        'choiceExit',
        'flow',
        'forwardOnly',
        'useCurrentAttemptObjectiveInfo',
        'useCurrentAttemptProgressInfo',
      ],
    });
    expect(s.rollupRules).toEqual({
      rollupObjectiveSatisfied: false,
      rollupProgressCompletion: true,
      objectiveMeasureWeight: 0.25,
      rules: [
        {
          childActivitySet: 'atLeastPercent',
          minimumCount: 0,
          minimumPercent: 0.5,
          conditionCombination: 'all',
          conditions: [
            { operator: 'not', condition: 'attempted' },
            { operator: 'noOp', condition: 'completed' },
          ],
          action: 'incomplete',
        },
        {
          childActivitySet: 'all',
          minimumCount: 0,
          minimumPercent: 0,
          conditionCombination: 'any',
          conditions: [{ operator: 'noOp', condition: 'satisfied' }],
          action: 'satisfied',
        },
      ],
    });
  });

  it('merges IDRef collection entries: attributes override, declared lists replace', () => {
    expect(Object.keys(m.sequencingCollection)).toEqual(['common']);
    const a = item(m, 'LESSON-A').sequencing!;
    expect(a.idRef).toBe('common');
    expect(a.controlMode).toMatchObject({ choice: false, flow: false, explicit: ['choice', 'flow'] });
    expect(a.sequencingRules.preConditionRules.map((r) => r.action)).toEqual(['disabled']);
    expect(a.sequencingRules.exitConditionRules.map((r) => r.action)).toEqual(['exit']);
    expect(a.limitConditions.attemptLimit).toBe(5);
    expect(a.deliveryControls.tracked).toBe(false);
    expect(a.objectives.objectives.map((o) => o.objectiveID)).toEqual(['shared']);

    const b = item(m, 'LESSON-B').sequencing!;
    expect(b.controlMode).toMatchObject({ choice: false, flow: true });
    expect(b.sequencingRules.preConditionRules.map((r) => r.action)).toEqual(['skip']);
    expect(b.sequencingRules.exitConditionRules.map((r) => r.action)).toEqual(['exit']);
    expect(b.objectives.primaryObjective?.objectiveID).toBe('lessonB.primary');
    expect(b.objectives.objectives).toEqual([]);
  });

  it('gives items without sequencing the defaults', () => {
    const org = m.defaultOrganization!;
    expect(org.sequencing?.deliveryControls.tracked).toBe(true);
  });
});

describe('tolerance', () => {
  it('accepts a UTF-8 BOM, as bytes and as a string', () => {
    const bytes = fixture('bom.xml');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const fromBytes = parseManifest(bytes);
    expect(fromBytes.diagnostics).toEqual([]);
    expect(fromBytes.manifest?.defaultOrganization?.title).toBe('BOM course');
    const fromString = parseManifest(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
    expect(fromString.manifest?.identifier).toBe('bom');
  });

  it('reads UTF-16 and declared legacy encodings', () => {
    const xml = new TextDecoder().decode(fixture('bom.xml')).replace('BOM course', 'Cours été');
    const utf16 = new Uint8Array(2 + xml.length * 2);
    utf16[0] = 0xff;
    utf16[1] = 0xfe;
    for (let i = 0; i < xml.length; i++) {
      utf16[2 + i * 2] = xml.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = xml.charCodeAt(i) >> 8;
    }
    expect(parseManifest(utf16).manifest?.defaultOrganization?.title).toBe('Cours été');
    const latin = xml.replace('\ufeff', '').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const latinBytes = Uint8Array.from(latin, (c) => c.charCodeAt(0));
    expect(parseManifest(latinBytes).manifest?.defaultOrganization?.title).toBe('Cours été');
    const undeclared = parseManifest(Uint8Array.from(xml.replace('\ufeff', ''), (c) => c.charCodeAt(0)));
    expect(undeclared.manifest?.defaultOrganization?.title).toBe('Cours été');
    expect(codes(undeclared.diagnostics)).toEqual(['XML_ENCODING_INVALID']);
    const unknown = parseManifest(new TextEncoder().encode(latin.replace('ISO-8859-1', 'x-klingon')));
    expect(unknown.manifest).toBeNull();
    expect(codes(unknown.diagnostics)).toEqual(['XML_ENCODING_UNSUPPORTED']);
  });

  it('reads elements in no namespace or with undeclared prefixes, with warnings', () => {
    const r = parseManifest(fixture('sloppy-namespaces.xml'));
    const m = r.manifest!;
    expect(m.scormVersion).toBe('1.2');
    expect(m.defaultOrganization?.title).toBe('Sloppy & working');
    expect(item(m, 'I1').masteryScore).toBe(70);
    expect(item(m, 'I2').masteryScore).toBe(60);
    expect(m.resources[0]?.scormType).toBe('sco');
    expect(codes(r.diagnostics)).toEqual([
      'MANIFEST_NAMESPACE_MISSING',
      'MANIFEST_NAMESPACE_MISSING',
      'MANIFEST_NAMESPACE_WRONG',
    ]);
    expect(r.diagnostics.find((d) => d.message.includes('"adlcp"'))).toMatchObject({ line: 9 });
  });

  it('ignores sub-manifests safely', () => {
    const r = parseManifest(fixture('submanifest.xml'));
    expect(codes(r.diagnostics)).toEqual(['MANIFEST_SUBMANIFEST_IGNORED']);
    expect(r.diagnostics[0]?.message).toContain('"inner"');
    expect(r.manifest?.resources.map((x) => x.identifier)).toEqual(['R']);
    expect(r.manifest?.organizations.map((o) => o.identifier)).toEqual(['O']);
  });

  it('parses an assets-only package with an external URL', () => {
    const r = parseManifest(fixture('assets-only.xml'));
    expect(r.diagnostics).toEqual([]);
    const items = r.manifest!.defaultOrganization!.items;
    expect(items.map((i) => i.launchUrl)).toEqual(['handbook.pdf', 'https://videos.example.com/v/1']);
    expect(r.manifest!.resources.every((x) => x.scormType === 'asset')).toBe(true);
  });
});

describe('security and bounds', () => {
  it('never expands internal-subset entities (billion laughs)', () => {
    const r = parseManifest(fixture('doctype-billion-laughs.xml'));
    expect(codes(r.diagnostics)).toEqual(['XML_DOCTYPE_IGNORED']);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'warning',
      file: 'imsmanifest.xml',
      line: 2,
      column: 1,
    });
    expect(r.diagnostics[0]?.message).toContain('ignored');
    const org = r.manifest!.defaultOrganization!;
    expect(org.title).toBe('&lol9;');
    expect(org.items[0]?.title).toBe('Item &lol9; end');
  });

  it('never expands recursive entities', () => {
    const xml = new TextDecoder()
      .decode(fixture('bom.xml'))
      .replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY a "&b;"><!ENTITY b "&a;">]>',
      )
      .replace('BOM course', '&a;');
    const r = parseManifest(xml);
    expect(codes(r.diagnostics)).toEqual(['XML_DOCTYPE_IGNORED']);
    expect(r.manifest?.defaultOrganization?.title).toBe('&a;');
  });

  it('never resolves external entities or a DTD', () => {
    const r = parseManifest(fixture('doctype-external.xml'));
    expect(codes(r.diagnostics)).toEqual(['XML_DOCTYPE_IGNORED']);
    expect(r.manifest!.defaultOrganization!.title).toBe('&xxe;');
  });

  it('bounds element depth', () => {
    const deep = `<manifest identifier="d" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><organizations><organization identifier="o"><title>t</title>${'<item identifier="x"><title>x</title>'.repeat(60)}${'</item>'.repeat(60)}</organization></organizations></manifest>`;
    const ok = parseManifest(deep);
    expect(ok.manifest).not.toBeNull();
    const tooDeep = parseManifest(deep, { maxDepth: 40 });
    expect(tooDeep.manifest).toBeNull();
    expect(codes(tooDeep.diagnostics)).toEqual(['XML_TOO_DEEP']);
    expect(tooDeep.diagnostics[0]?.severity).toBe('error');
  });

  it('bounds document size', () => {
    const bytes = fixture('bom.xml');
    const r = parseManifest(bytes, { maxBytes: bytes.byteLength - 1 });
    expect(r.manifest).toBeNull();
    expect(codes(r.diagnostics)).toEqual(['XML_TOO_LARGE']);
    expect(parseManifest(bytes, { maxBytes: bytes.byteLength }).manifest).not.toBeNull();
  });

  it('reports malformed XML with line and column', () => {
    const r = parseManifest(
      '<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1">\n  <organizations>\n    <organization identifier="o">\n  </organizations>\n</manifest>',
    );
    expect(r.manifest).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'XML_MALFORMED', severity: 'error', line: 4 });
    expect(r.diagnostics[0]?.column).toBeGreaterThan(1);
  });

  it('rejects a document whose root is not a manifest', () => {
    const r = parseManifest('<html><body/></html>');
    expect(r.manifest).toBeNull();
    expect(codes(r.diagnostics)).toEqual(['MANIFEST_ROOT_INVALID']);
  });
});
