import { describe, expect, it } from 'vitest';
import { decodeTestCase, parseDictionary } from './decode.js';
import type { PackageLaunch } from './manifest.js';
import { readPackageLaunch } from './manifest.js';
import { type CtsLaunchRequest, type CtsSession, runTestCase, type Scorm2004ApiLike } from './run.js';

const DICT = parseDictionary(
  [
    'I=doInitialize',
    'T=doTerminate',
    'GET=doGetValue',
    'SET=doSetValue',
    'GLE=doGetLastError',
    'a=adl',
    'c=cmi',
    'n=nav',
    'r=request',
    'X=exit',
    'E=entry',
    'LOC=location',
    'SD=suspend_data',
    'OB=objectives',
    'SS=success_status',
    'DA=data',
    'STR=store',
    'CNT=_count',
    'LI=learner_id',
    'X.s=suspend',
    'M.n=normal',
    'E.a=ab-initio',
    'E.r=resume',
    'N.c=continue',
    'N.ea=exitAll',
    'pass=passed',
    't=true',
    'f=false',
  ].join('\n'),
);

/**
 * A deliberately small SCORM 2004 API with a flat store: enough to exercise the runner's LMS
 * duties (launch data, resume, shared stores, implicit Terminate), not a data model.
 */
function tinyApi(r: CtsLaunchRequest, log: string[]): CtsSession {
  const resumed = r.resume as Record<string, string> | undefined;
  const values: Record<string, string> = { ...(resumed ?? {}) };
  values['cmi.entry'] = resumed ? 'resume' : 'ab-initio';
  values['cmi.learner_id'] = r.learnerId;
  values['cmi.objectives._count'] = String(r.activity.objectiveIds.length);
  r.objectives.forEach((o, i) => {
    values[`cmi.objectives.${i}.id`] = o.id;
    if (o.successStatus !== undefined) values[`cmi.objectives.${i}.success_status`] = o.successStatus;
  });
  values['adl.data._count'] = String(r.sharedData.length);
  r.sharedData.forEach((s, i) => {
    values[`adl.data.${i}.id`] = s.id;
    if (s.store !== undefined) values[`adl.data.${i}.store`] = s.store;
    else delete values[`adl.data.${i}.store`];
  });
  let state = 'new';
  let error = '0';
  const api: Scorm2004ApiLike = {
    Initialize() {
      state = 'running';
      return 'true';
    },
    Terminate() {
      log.push(`terminate ${r.activity.act}`);
      state = 'done';
      return 'true';
    },
    Commit: () => 'true',
    GetValue(el) {
      const v = values[el];
      error = v === undefined ? '403' : '0';
      return v ?? '';
    },
    SetValue(el, v) {
      if (state !== 'running') {
        error = '132';
        return 'false';
      }
      values[el] = v;
      error = '0';
      return 'true';
    },
    GetLastError: () => error,
    GetErrorString: () => '',
    GetDiagnostic: () => '',
  };
  return {
    api,
    end: () => ({
      state: values,
      exit: values['cmi.exit'] ?? '',
      navRequest: values['adl.nav.request'] ?? '',
      stores: r.sharedData.map((_s, i) => values[`adl.data.${i}.store`]),
      objectives: Object.fromEntries(
        r.activity.objectiveIds.map((id, i) => [
          id,
          { successStatus: values[`cmi.objectives.${i}.success_status`] },
        ]),
      ),
    }),
  };
}

const MANIFEST = `<?xml version="1.0"?>
<manifest identifier="PKG" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <organizations default="O"><organization identifier="O">
    <item identifier="activity_1" identifierref="R" parameters="?tc=RUN&amp;act=1">
      <title>One</title>
      <adlcp:data><adlcp:map targetID="shared_1"/></adlcp:data>
      <imsss:sequencing><imsss:objectives>
        <imsss:primaryObjective objectiveID="obj_a" satisfiedByMeasure="true"/>
        <imsss:objective objectiveID="obj_b">
          <imsss:mapInfo targetObjectiveID="g_b" writeSatisfiedStatus="true"/>
        </imsss:objective>
      </imsss:objectives></imsss:sequencing>
    </item>
    <item identifier="activity_2" identifierref="R" parameters="?tc=RUN&amp;act=2">
      <title>Two</title>
      <adlcp:data><adlcp:map targetID="shared_1" writeSharedData="false"/></adlcp:data>
      <imsss:sequencing><imsss:objectives>
        <imsss:primaryObjective/>
        <imsss:objective objectiveID="obj_c"><imsss:mapInfo targetObjectiveID="g_b"/></imsss:objective>
      </imsss:objectives></imsss:sequencing>
    </item>
  </organization></organizations>
  <resources><resource identifier="R" type="webcontent" adlcp:scormType="sco" href="a.html"/></resources>
</manifest>`;

const SCRIPT = [
  'title=RUN',
  'Act1V1.commands.0=I->->t->0',
  'Act1V1.commands.1=GET->c~E->E.a->0',
  'Act1V1.commands.2=SET->c~OB~&obj_b&~SS!pass->t->0',
  'Act1V1.commands.3=SET->a~DA~&shared_1&~STR!hello->t->0',
  'Act1V1.commands.4=SET->c~SD!saved->t->0',
  'Act1V1.commands.5=SET->c~X!X.s->t->0',
  'Act2V1.commands.0=I->->t->0',
  'Act2V1.commands.1=GET->a~DA~&shared_1&~STR->hello->0',
  'Act2V1.commands.2=GET->c~LI->x->0',
  'Act2V1.commands.3=SET->a~n~r!N.c->t->0',
  'Act2V1.commands.4=GET->c~OB~&obj_c&~SS->pass->0',
  'Act1V2.commands.0=I->->t->0',
  'Act1V2.commands.1=GET->c~E->E.r->0',
  'Act1V2.commands.2=GET->c~SD->saved->0',
  'Act1V2.commands.3=GET->c~OB~&obj_b&~SS->pass->0',
].join('\n');

describe('runTestCase', () => {
  const pkg: PackageLaunch = readPackageLaunch(MANIFEST);
  const tc = decodeTestCase(DICT, 'RUN', SCRIPT);

  it('reads the launch facts of the manifest', () => {
    expect(pkg.activities.map((a) => [a.act, a.objectiveIds, a.scaledPassingScore])).toEqual([
      ['1', ['obj_a', 'obj_b'], '1.0'],
      ['2', ['obj_c'], undefined],
    ]);
    expect(pkg.activities[1]?.objectiveMaps).toEqual([
      {
        objectiveId: 'obj_c',
        targetId: 'g_b',
        readSatisfiedStatus: true,
        readNormalizedMeasure: true,
        writeSatisfiedStatus: false,
        writeNormalizedMeasure: false,
      },
    ]);
    expect(pkg.activities[1]?.sharedData).toEqual([
      { targetId: 'shared_1', readSharedData: true, writeSharedData: false },
    ]);
  });

  it('resolves placeholders, carries suspended state, shared stores and global objectives, and terminates', () => {
    const log: string[] = [];
    const r = runTestCase(tc, [pkg], (req) => tinyApi(req, log), { learnerId: 'L-1', learnerName: 'N' });
    expect(r.notes).toEqual([]);
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
    expect(r.passed).toBe(15);
    expect(r.steps.find((s) => s.source.startsWith('SET->c~OB'))?.call).toBe(
      'SetValue("cmi.objectives.1.success_status", "passed")',
    );
    expect(log).toEqual(['terminate 1', 'terminate 2', 'terminate 1']);
  });

  it('fails steps whose answers differ, naming the expectation', () => {
    const broken = (req: CtsLaunchRequest): CtsSession => {
      const s = tinyApi(req, []);
      return { ...s, api: { ...s.api, GetValue: () => 'true', GetLastError: () => '0' } };
    };
    const r = runTestCase(tc, [pkg], broken, { learnerId: 'L-1', learnerName: 'N' });
    expect(r.failed).toBeGreaterThan(0);
    const entry = r.steps.find((s) => s.call === 'GetValue("cmi.entry")');
    expect(entry?.ok).toBe(false);
    expect(entry?.reason).toBe('expected "ab-initio", got "true"');
    // Without a matching objective id the placeholder cannot be resolved.
    expect(r.steps.find((s) => s.source.startsWith('SET->c~OB'))?.reason).toContain('"obj_b" was not found');
  });

  it('starts a new attempt after exitAll instead of resuming', () => {
    const reordered = decodeTestCase(
      DICT,
      'RUN',
      [
        'title=RUN',
        'Act1V1.commands.0=I->->t->0',
        'Act1V1.commands.1=SET->c~X!X.s->t->0',
        'Act1V1.commands.2=SET->a~n~r!N.ea->t->0',
        'Act1V2.commands.0=I->->t->0',
        'Act1V2.commands.1=GET->c~E->E.a->0',
      ].join('\n'),
    );
    const r = runTestCase(reordered, [pkg], (req) => tinyApi(req, []), { learnerId: 'L', learnerName: 'N' });
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
  });
});
