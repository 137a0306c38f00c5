import { describe, expect, it } from 'vitest';
import { createScorm12Api, createScorm2004Api } from './api.js';
import { applyCommit, type CommitDiff } from './commit.js';
import { eventsFromCommit, type LearningEvent } from './events.js';
import { type CmiState, createInitialState, type LaunchContext } from './state.js';

/** Runs a session whose commits go through applyCommit, collecting the events of each commit. */
function recorder(version: '1.2' | '2004', launch: LaunchContext) {
  let state = createInitialState(version, launch);
  const events: LearningEvent[][] = [];
  const onCommit = (d: CommitDiff) => {
    const r = applyCommit(state, d);
    if (!r.ok) throw new Error(r.error.message);
    events.push(eventsFromCommit(state, d, r.value));
    state = r.value;
    return true;
  };
  return { events, onCommit, state: (): CmiState => state };
}

const types = (list: LearningEvent[] | undefined) => (list ?? []).map((e) => e.type);

describe('eventsFromCommit (SCORM 2004)', () => {
  it('derives initialized, progressed, scored, interaction, objective, passed, completed, terminated', () => {
    const rec = recorder('2004', { scaledPassingScore: 0.8, completionThreshold: 0.5 });
    const api = createScorm2004Api({ state: rec.state(), onCommit: rec.onCommit });
    api.Initialize('');
    api.SetValue('cmi.location', 'p2');
    api.SetValue('cmi.progress_measure', '0.4');
    api.Commit('');
    api.SetValue('cmi.interactions.0.id', 'q1');
    api.SetValue('cmi.interactions.0.type', 'choice');
    api.SetValue('cmi.interactions.0.correct_responses.0.pattern', 'a');
    api.SetValue('cmi.interactions.0.learner_response', 'a');
    api.SetValue('cmi.interactions.0.result', 'correct');
    api.SetValue('cmi.interactions.0.objectives.0.id', 'obj');
    api.SetValue('cmi.objectives.0.id', 'obj');
    api.SetValue('cmi.objectives.0.success_status', 'passed');
    api.SetValue('cmi.score.scaled', '0.9');
    api.SetValue('cmi.progress_measure', '0.6');
    api.Commit('');
    api.SetValue('cmi.session_time', 'PT1M');
    api.Terminate('');
    expect(types(rec.events[0])).toEqual(['initialized', 'progressed']);
    expect(rec.events[0]?.[1]).toEqual({ type: 'progressed', seq: 1, location: 'p2', progressMeasure: 0.4 });
    expect(types(rec.events[1])).toEqual([
      'progressed',
      'scored',
      'objective-changed',
      'interaction-recorded',
      'completed',
      'passed',
    ]);
    expect(rec.events[1]?.find((e) => e.type === 'interaction-recorded')).toEqual({
      type: 'interaction-recorded',
      seq: 2,
      interaction: {
        index: 0,
        id: 'q1',
        type: 'choice',
        response: 'a',
        correctResponses: ['a'],
        result: 'correct',
        objectiveIds: ['obj'],
      },
    });
    expect(rec.events[1]?.find((e) => e.type === 'objective-changed')).toEqual({
      type: 'objective-changed',
      seq: 2,
      objective: { index: 0, id: 'obj', successStatus: 'passed', score: {} },
    });
    expect(types(rec.events[2])).toEqual(['terminated']);
    expect(rec.events[2]?.[0]).toEqual({
      type: 'terminated',
      seq: 3,
      exit: '',
      sessionTime: 'PT1M',
      totalTime: 'PT0H1M0S',
    });
  });

  it('reports failed, suspended, then resumed in the next session', () => {
    const rec = recorder('2004', { scaledPassingScore: 0.8 });
    const api = createScorm2004Api({ state: rec.state(), onCommit: rec.onCommit });
    api.Initialize('');
    api.SetValue('cmi.score.scaled', '0.2');
    api.SetValue('cmi.location', 'p9');
    api.SetValue('cmi.exit', 'suspend');
    api.Terminate('');
    expect(types(rec.events[0])).toEqual([
      'initialized',
      'progressed',
      'scored',
      'failed',
      'suspended',
      'terminated',
    ]);
    const next = recorder('2004', { scaledPassingScore: 0.8, resume: rec.state() });
    const api2 = createScorm2004Api({ state: next.state(), onCommit: next.onCommit });
    api2.Initialize('');
    api2.Commit('');
    expect(next.events[0]).toEqual([{ type: 'resumed', seq: 2, location: 'p9' }]);
  });
});

describe('eventsFromCommit (SCORM 1.2)', () => {
  it('maps lesson_status to completed / passed and reports 1.2 interactions', () => {
    const rec = recorder('1.2', { masteryScore: 60 });
    const api = createScorm12Api({ state: rec.state(), onCommit: rec.onCommit });
    api.LMSInitialize('');
    api.LMSSetValue('cmi.interactions.0.id', 'q1');
    api.LMSSetValue('cmi.interactions.0.type', 'true-false');
    api.LMSSetValue('cmi.interactions.0.student_response', 't');
    api.LMSSetValue('cmi.core.score.raw', '75');
    api.LMSSetValue('cmi.core.lesson_status', 'completed');
    api.LMSCommit('');
    api.LMSFinish('');
    expect(types(rec.events[0])).toEqual(['initialized', 'scored', 'interaction-recorded', 'completed']);
    expect(types(rec.events[1])).toEqual(['passed', 'terminated']);
    expect(rec.events[1]?.[0]).toEqual({ type: 'passed', seq: 2, score: { raw: 75 } });
  });
});
