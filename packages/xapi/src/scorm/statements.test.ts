import {
  applyCommit,
  type CmiState,
  type CommitDiff,
  createInitialState,
  createScorm12Api,
  createScorm2004Api,
  eventsFromCommit,
  type LaunchContext,
  type LearningEvent,
} from '@scormflow/cmi';
import { describe, expect, it } from 'vitest';
import { isXapiError } from '../errors.js';
import type { Activity, Statement } from '../types.js';
import { validateStatement } from '../validate.js';
import {
  type ScormStatementContext,
  scormStatementId,
  scormStatementMapper,
  statementsFromLearningEvents,
} from './statements.js';

/** Runs a session whose commits go through the real applyCommit, collecting each commit's events. */
function recorder(version: '1.2' | '2004', launch: LaunchContext) {
  let state = createInitialState(version, launch);
  const commits: LearningEvent[][] = [];
  const onCommit = (d: CommitDiff) => {
    const r = applyCommit(state, d);
    if (!r.ok) throw new Error(r.error.message);
    commits.push(eventsFromCommit(state, d, r.value));
    state = r.value;
    return true;
  };
  return { commits, onCommit, state: (): CmiState => state };
}

const ctx = (version: '1.2' | '2004'): ScormStatementContext => ({
  actor: { objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: 'learner-42' } },
  registration: '7f1c2a4e-1b2c-4d3e-8f90-123456789abc',
  course: { id: 'https://lms.example.com/courses/safety', title: 'Fire safety' },
  sco: { id: 'https://lms.example.com/courses/safety/sco/1', title: 'Lesson 1' },
  platform: 'ScormFlow',
  language: 'en-US',
  timestamp: '2026-11-22T10:00:00.000Z',
  version,
});

const def = (s: Statement | undefined) => (s?.object as Activity | undefined)?.definition;
const verbs = (list: Statement[]) =>
  list.map((s) => s.verb.id.slice('http://adlnet.gov/expapi/verbs/'.length));

function expectAllValid(list: Statement[]): void {
  for (const s of list) {
    const r = validateStatement(s);
    expect(r.ok ? [] : r.errors).toEqual([]);
  }
}

function session2004() {
  const rec = recorder('2004', { scaledPassingScore: 0.8, completionThreshold: 0.5 });
  const api = createScorm2004Api({ state: rec.state(), onCommit: rec.onCommit });
  api.Initialize('');
  api.SetValue('cmi.location', 'p2');
  api.SetValue('cmi.progress_measure', '0.4');
  api.Commit('');
  api.SetValue('cmi.interactions.0.id', 'q1');
  api.SetValue('cmi.interactions.0.type', 'choice');
  api.SetValue('cmi.interactions.0.description', 'Which extinguisher?');
  api.SetValue('cmi.interactions.0.correct_responses.0.pattern', 'co2[,]water');
  api.SetValue('cmi.interactions.0.learner_response', 'co2[,]foam');
  api.SetValue('cmi.interactions.0.result', 'incorrect');
  api.SetValue('cmi.interactions.0.latency', 'PT12.5S');
  api.SetValue('cmi.interactions.1.id', 'q2');
  api.SetValue('cmi.interactions.1.type', 'matching');
  api.SetValue('cmi.interactions.1.correct_responses.0.pattern', 'a[.]1[,]b[.]2');
  api.SetValue('cmi.objectives.0.id', 'obj-1');
  api.SetValue('cmi.objectives.0.success_status', 'passed');
  api.SetValue('cmi.score.scaled', '0.9');
  api.SetValue('cmi.score.raw', '90');
  api.SetValue('cmi.score.min', '0');
  api.SetValue('cmi.score.max', '100');
  api.SetValue('cmi.progress_measure', '0.6');
  api.Commit('');
  api.SetValue('cmi.session_time', 'PT1M30.25S');
  api.Terminate('');
  return rec.commits;
}

describe('statementsFromLearningEvents (SCORM 2004)', () => {
  const commits = session2004();
  const all = commits.flatMap((events) => statementsFromLearningEvents(events, ctx('2004')));

  it('maps each event to its SCORM profile verb, in order', () => {
    expect(verbs(all)).toEqual([
      'initialized',
      'progressed',
      'progressed',
      'scored',
      'passed', // objective obj-1
      'answered', // q1, has a learner response
      'interacted', // q2, pattern only
      'completed',
      'passed',
      'terminated',
    ]);
  });

  it('every produced statement passes validateStatement', () => {
    expectAllValid(all);
  });

  it('puts the attempt, course, SCO and profile in the context', () => {
    const init = all[0];
    expect(init?.context).toEqual({
      registration: '7f1c2a4e-1b2c-4d3e-8f90-123456789abc',
      contextActivities: {
        parent: [
          {
            objectType: 'Activity',
            id: 'https://lms.example.com/courses/safety',
            definition: {
              type: 'http://adlnet.gov/expapi/activities/course',
              name: { 'en-US': 'Fire safety' },
            },
          },
        ],
        grouping: [
          {
            objectType: 'Activity',
            id: 'https://lms.example.com/courses/safety',
            definition: {
              type: 'http://adlnet.gov/expapi/activities/course',
              name: { 'en-US': 'Fire safety' },
            },
          },
        ],
        category: [
          {
            objectType: 'Activity',
            id: 'https://w3id.org/xapi/scorm',
            definition: { type: 'http://adlnet.gov/expapi/activities/profile' },
          },
        ],
      },
      platform: 'ScormFlow',
      language: 'en-US',
    });
    expect(def(init)?.type).toBe('http://adlnet.gov/expapi/activities/lesson');
  });

  it('maps an interaction to a cmi.interaction activity inside the SCO with its response and success', () => {
    const q1 = all.find((s) => s.verb.id.endsWith('/answered'));
    expect(q1?.object).toEqual({
      objectType: 'Activity',
      id: 'https://lms.example.com/courses/safety/sco/1/interactions/q1',
      definition: {
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        description: { 'en-US': 'Which extinguisher?' },
        interactionType: 'choice',
        correctResponsesPattern: ['co2[,]water'],
        choices: [{ id: 'co2' }, { id: 'water' }, { id: 'foam' }],
      },
    });
    expect(q1?.result).toEqual({ response: 'co2[,]foam', success: false, duration: 'PT0H0M12.50S' });
    expect(q1?.context?.contextActivities?.parent).toEqual([
      {
        objectType: 'Activity',
        id: 'https://lms.example.com/courses/safety/sco/1',
        definition: { type: 'http://adlnet.gov/expapi/activities/lesson', name: { 'en-US': 'Lesson 1' } },
      },
    ]);
    const q2 = all.find((s) => s.verb.id.endsWith('/interacted'));
    expect(def(q2)).toMatchObject({
      interactionType: 'matching',
      source: [{ id: 'a' }, { id: 'b' }],
      target: [{ id: '1' }, { id: '2' }],
    });
  });

  it('carries score, success, progress and session time in results', () => {
    expect(all.find((s) => s.verb.id.endsWith('/scored'))?.result).toEqual({
      score: { scaled: 0.9, raw: 90, min: 0, max: 100 },
    });
    expect(all.filter((s) => s.verb.id.endsWith('/progressed')).map((s) => s.result)).toEqual([
      { extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/progress': 40 } },
      { extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/progress': 60 } },
    ]);
    expect(all.at(-2)?.result).toEqual({ success: true, score: { scaled: 0.9, raw: 90, min: 0, max: 100 } });
    expect(all.at(-1)?.result).toEqual({ duration: 'PT0H1M30.25S' });
  });

  it('derives the same ids when the same commit is mapped again, and distinct ids across events', () => {
    const again = commits.flatMap((events) => statementsFromLearningEvents(events, ctx('2004')));
    expect(again.map((s) => s.id)).toEqual(all.map((s) => s.id));
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
    const concatenated = statementsFromLearningEvents(commits.flat(), ctx('2004'));
    expect(concatenated.map((s) => s.id)).toEqual(all.map((s) => s.id));
    const otherAttempt = statementsFromLearningEvents(commits.flat(), {
      ...ctx('2004'),
      registration: 'a1c2a4e0-1b2c-4d3e-8f90-123456789abc',
    });
    expect(otherAttempt.map((s) => s.id).filter((id) => all.some((s) => s.id === id))).toEqual([]);
  });

  it('ids are scormStatementId of (registration, SCO, seq, position of the event in its commit)', () => {
    const c = ctx('2004');
    let checked = 0;
    for (const events of commits) {
      const list = statementsFromLearningEvents(events, c);
      if (list.length !== events.length) continue;
      const expected = events.map((e, i) => scormStatementId(c.registration, c.sco.id, e.seq, i));
      expect(list.map((s) => s.id)).toEqual(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(1);
  });

  it('a session mapper gives the same statements as statementsFromLearningEvents, call after call', () => {
    const { timestamp: _, ...session } = ctx('2004');
    const mapper = scormStatementMapper(session);
    commits.forEach((events, n) => {
      const timestamp = `2026-11-22T10:00:${String(n).padStart(2, '0')}.000Z`;
      const mapped = mapper(events, timestamp);
      expect(mapped).toEqual(statementsFromLearningEvents(events, { ...ctx('2004'), timestamp }));
      for (const s of mapped) expect(s.timestamp).toBe(timestamp);
      expectAllValid(mapped);
    });
  });

  it('puts the context extensions in every statement, copied from the caller', () => {
    const extensions = { 'https://example.com/ext/course-version': 3 };
    const list = commits.flatMap((events) =>
      statementsFromLearningEvents(events, { ...ctx('2004'), extensions }),
    );
    expect(list.length).toBe(all.length);
    for (const s of list) expect(s.context?.extensions).toEqual(extensions);
    expectAllValid(list);
    expect(Object.isFrozen(extensions)).toBe(false);
  });

  it('uses idFor when given', () => {
    const list = statementsFromLearningEvents(commits.flat(), ctx('2004'), {
      idFor: (_e, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    });
    expect(list[0]?.id).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('reports failed and suspended, then resumed in the next session', () => {
    const rec = recorder('2004', { scaledPassingScore: 0.8 });
    const api = createScorm2004Api({ state: rec.state(), onCommit: rec.onCommit });
    api.Initialize('');
    api.SetValue('cmi.score.scaled', '0.2');
    api.SetValue('cmi.location', 'p9');
    api.SetValue('cmi.exit', 'suspend');
    api.Terminate('');
    const next = recorder('2004', { scaledPassingScore: 0.8, resume: rec.state() });
    const api2 = createScorm2004Api({ state: next.state(), onCommit: next.onCommit });
    api2.Initialize('');
    api2.Commit('');
    const list = [...rec.commits, ...next.commits].flatMap((e) =>
      statementsFromLearningEvents(e, ctx('2004')),
    );
    expect(verbs(list)).toEqual([
      'initialized',
      'progressed',
      'scored',
      'failed',
      'suspended',
      'terminated',
      'resumed',
    ]);
    expect(list[3]?.result).toEqual({ success: false, score: { scaled: 0.2 } });
    expectAllValid(list);
  });
});

describe('statementsFromLearningEvents (SCORM 1.2)', () => {
  it('converts 1.2 interaction formats and time spans', () => {
    const rec = recorder('1.2', { masteryScore: 60 });
    const api = createScorm12Api({ state: rec.state(), onCommit: rec.onCommit });
    api.LMSInitialize('');
    api.LMSSetValue('cmi.interactions.0.id', 'q1');
    api.LMSSetValue('cmi.interactions.0.type', 'true-false');
    api.LMSSetValue('cmi.interactions.0.correct_responses.0.pattern', 't');
    api.LMSSetValue('cmi.interactions.0.student_response', 'f');
    api.LMSSetValue('cmi.interactions.0.result', 'wrong');
    api.LMSSetValue('cmi.interactions.1.id', 'q2');
    api.LMSSetValue('cmi.interactions.1.type', 'choice');
    api.LMSSetValue('cmi.interactions.1.correct_responses.0.pattern', 'a,c');
    api.LMSSetValue('cmi.interactions.1.student_response', 'a,c');
    api.LMSSetValue('cmi.interactions.1.result', 'correct');
    api.LMSSetValue('cmi.interactions.1.latency', '0000:00:07.50');
    api.LMSSetValue('cmi.core.score.raw', '75');
    api.LMSSetValue('cmi.core.lesson_status', 'completed');
    api.LMSCommit('');
    api.LMSSetValue('cmi.core.session_time', '0001:02:03.5');
    api.LMSFinish('');
    const list = rec.commits.flatMap((e) => statementsFromLearningEvents(e, ctx('1.2')));
    expect(verbs(list)).toEqual([
      'initialized',
      'scored',
      'answered',
      'answered',
      'completed',
      'passed',
      'terminated',
    ]);
    expectAllValid(list);
    const [q1, q2] = list.filter((s) => s.verb.id.endsWith('/answered'));
    expect(def(q1)).toMatchObject({
      interactionType: 'true-false',
      correctResponsesPattern: ['true'],
    });
    expect(q1?.result).toEqual({ response: 'false', success: false });
    expect(def(q2)).toMatchObject({
      interactionType: 'choice',
      correctResponsesPattern: ['a[,]c'],
      choices: [{ id: 'a' }, { id: 'c' }],
    });
    expect(q2?.result).toEqual({ response: 'a[,]c', success: true, duration: 'PT0H0M7.50S' });
    expect(list.at(-1)?.result).toEqual({ duration: 'PT1H2M3.50S' });
    expect(list.find((s) => s.verb.id.endsWith('/passed'))?.result).toEqual({
      success: true,
      score: { raw: 75 },
    });
  });
});

describe('statementsFromLearningEvents context checks', () => {
  const events: LearningEvent[] = [{ type: 'initialized', seq: 1, entry: 'ab-initio' }];
  it('throws a branded XapiError for a context that cannot give valid statements', () => {
    const bad: ScormStatementContext[] = [
      { ...ctx('2004'), course: { id: 'not an iri' } },
      { ...ctx('2004'), sco: { id: 'sco-1' } },
      { ...ctx('2004'), timestamp: 'yesterday' },
      { ...ctx('2004'), actor: { name: 'nobody' } },
    ];
    for (const c of bad) {
      let caught: unknown;
      try {
        statementsFromLearningEvents(events, c);
      } catch (e) {
        caught = e;
      }
      expect(isXapiError(caught)).toBe(true);
    }
  });

  it('a session mapper checks its context when made and the timestamp on every call', () => {
    const { timestamp: _, ...session } = ctx('2004');
    expect(() => scormStatementMapper({ ...session, sco: { id: 'sco-1' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const mapper = scormStatementMapper(session);
    expect(() => mapper(events, 'yesterday')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(mapper(events, '2026-11-22T10:00:00Z')).toHaveLength(1);
  });
});
