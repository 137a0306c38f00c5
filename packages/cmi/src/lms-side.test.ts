import { describe, expect, it } from 'vitest';
import { createScorm12Api, createScorm2004Api } from './api.js';
import type { CommitDiff } from './commit.js';
import { createInitialState } from './state.js';

describe('createInitialState', () => {
  it('starts a first session ab-initio', () => {
    expect(createInitialState('2004').values['cmi.entry']).toBe('ab-initio');
    expect(createInitialState('1.2').values['cmi.core.entry']).toBe('ab-initio');
  });

  it('resumes a 2004 session that exited with suspend, restoring its data but not its exit', () => {
    const api = createScorm2004Api({ launch: { learnerId: 'u' } });
    api.Initialize('');
    api.SetValue('cmi.location', 'page 7');
    api.SetValue('cmi.suspend_data', 'abc');
    api.SetValue('cmi.interactions.0.id', 'q1');
    api.SetValue('cmi.exit', 'suspend');
    api.SetValue('cmi.session_time', 'PT10M');
    api.Terminate('');
    const next = createScorm2004Api({ launch: { learnerId: 'u', resume: api.getState() } });
    next.Initialize('');
    expect(next.GetValue('cmi.entry')).toBe('resume');
    expect(next.GetValue('cmi.location')).toBe('page 7');
    expect(next.GetValue('cmi.suspend_data')).toBe('abc');
    expect(next.GetValue('cmi.interactions.0.id')).toBe('q1');
    expect(next.GetValue('cmi.total_time')).toBe('PT0H10M0S');
    expect(next.getState().values['cmi.exit']).toBeUndefined();
  });

  it('SCORM 1.2: browse mode launches without credit, whatever the launch asked for', () => {
    const browse = createInitialState('1.2', { mode: 'browse', credit: 'credit' }).values;
    expect(browse['cmi.core.lesson_mode']).toBe('browse');
    expect(browse['cmi.core.credit']).toBe('no-credit');
    expect(createInitialState('1.2', { mode: 'browse' }).values['cmi.core.credit']).toBe('no-credit');
    for (const mode of ['normal', 'review'] as const) {
      expect(createInitialState('1.2', { mode }).values['cmi.core.credit']).toBe('credit');
      expect(createInitialState('1.2', { mode, credit: 'no-credit' }).values['cmi.core.credit']).toBe(
        'no-credit',
      );
    }
    // SCORM 2004 keeps the launch's credit
    expect(createInitialState('2004', { mode: 'browse' }).values['cmi.credit']).toBe('credit');
  });

  it('SCORM 1.2: a browsed lesson with a mastery score is not graded at LMSFinish', () => {
    const api = createScorm12Api({ launch: { mode: 'browse', masteryScore: 50 } });
    api.LMSInitialize('');
    expect(api.LMSGetValue('cmi.core.credit')).toBe('no-credit');
    api.LMSSetValue('cmi.core.score.raw', '90');
    api.LMSFinish('');
    expect(api.getState().values['cmi.core.lesson_status']).toBe('browsed');
  });

  it('resumes after adl.nav.request suspendAll', () => {
    const api = createScorm2004Api();
    api.Initialize('');
    api.SetValue('cmi.location', 'p');
    api.SetValue('adl.nav.request', 'suspendAll');
    api.Terminate('');
    const state = createInitialState('2004', { resume: api.getState() });
    expect(state.values['cmi.entry']).toBe('resume');
    expect(state.values['cmi.location']).toBe('p');
  });

  it.each(['', 'normal', 'logout', 'time-out'])('starts a new 2004 attempt after exit "%s"', (exit) => {
    const api = createScorm2004Api();
    api.Initialize('');
    api.SetValue('cmi.location', 'p');
    api.SetValue('cmi.exit', exit);
    api.Terminate('');
    const state = createInitialState('2004', { resume: api.getState() });
    expect(state.values['cmi.entry']).toBe('ab-initio');
    expect(state.values['cmi.location']).toBeUndefined();
  });

  it('relaunches an unterminated 2004 session with entry "" and its data', () => {
    const api = createScorm2004Api();
    api.Initialize('');
    api.SetValue('cmi.location', 'p');
    api.Commit('');
    const state = createInitialState('2004', { resume: api.getState() });
    expect(state.values['cmi.entry']).toBe('');
    expect(state.values['cmi.location']).toBe('p');
  });

  it('SCORM 1.2: suspend resumes, any other exit relaunches with entry "" and keeps the data', () => {
    for (const [exit, entry] of [
      ['suspend', 'resume'],
      ['logout', ''],
      ['', ''],
      ['time-out', ''],
    ]) {
      const api = createScorm12Api();
      api.LMSInitialize('');
      api.LMSSetValue('cmi.core.lesson_location', 'L');
      api.LMSSetValue('cmi.core.exit', exit as string);
      api.LMSFinish('');
      const state = createInitialState('1.2', { resume: api.getState() });
      expect(state.values['cmi.core.entry'], exit).toBe(entry);
      expect(state.values['cmi.core.lesson_location']).toBe('L');
    }
  });

  it('lets the launch context force the entry and refuses mismatched versions', () => {
    expect(createInitialState('2004', { entry: '' }).values['cmi.entry']).toBe('');
    expect(() => createInitialState('1.2', { resume: createInitialState('2004') })).toThrow(/SCORM 2004/);
    expect(() => createInitialState('3' as '1.2')).toThrow(/unknown SCORM version/);
  });

  it('initialises objectives with the values the LMS holds for them', () => {
    const api = createScorm2004Api({
      launch: {
        objectives: ['plain', { id: 'global', successStatus: 'failed', scaled: 0.49, progressMeasure: 1 }],
      },
    });
    api.Initialize('');
    expect(api.GetValue('cmi.objectives.1.success_status')).toBe('failed');
    expect(api.GetValue('cmi.objectives.1.score.scaled')).toBe('0.49');
    expect(api.GetValue('cmi.objectives.1.progress_measure')).toBe('1');
    expect(api.GetValue('cmi.objectives.0.success_status')).toBe('unknown');
    const v12 = createInitialState('1.2', { objectives: [{ id: 'o', status: 'passed', raw: 90 }] });
    expect(v12.values['cmi.objectives.0.status']).toBe('passed');
    expect(v12.values['cmi.objectives.0.score.raw']).toBe('90');
  });

  it('never restores adl.data stores from a resumed state: the launch supplies them', () => {
    const api = createScorm2004Api({ launch: { sharedData: [{ id: 's1' }] } });
    api.Initialize('');
    api.SetValue('adl.data.0.store', 'old');
    api.SetValue('cmi.exit', 'suspend');
    api.Terminate('');
    const fresh = createInitialState('2004', { sharedData: [{ id: 's1' }], resume: api.getState() });
    expect(fresh.values['cmi.entry']).toBe('resume');
    expect(fresh.values['adl.data.0.store']).toBeUndefined();
    const given = createInitialState('2004', {
      sharedData: [{ id: 's1', store: 'new' }],
      resume: api.getState(),
    });
    expect(given.values['adl.data.0.store']).toBe('new');
  });

  it('adds manifest objectives that a resumed state does not have yet', () => {
    const prev = createInitialState('2004', { objectives: ['a'] });
    const state = createInitialState('2004', {
      objectives: ['a', 'b'],
      resume: { ...prev, values: { ...prev.values, 'cmi.exit': 'suspend' } },
    });
    expect(state.counts['cmi.objectives']).toBe(2);
    expect(state.values['cmi.objectives.1.id']).toBe('b');
  });
});

describe('end of session (LMS evaluation)', () => {
  it('2004: adds session_time to total_time, invisible until the session ends', () => {
    const first = createScorm2004Api();
    first.Initialize('');
    first.SetValue('cmi.session_time', 'PT1H30M');
    first.SetValue('cmi.exit', 'suspend');
    expect(first.GetValue('cmi.total_time')).toBe('PT0H0M0S');
    first.Terminate('');
    const second = createScorm2004Api({ launch: { resume: first.getState() } });
    second.Initialize('');
    expect(second.GetValue('cmi.total_time')).toBe('PT1H30M0S');
    second.SetValue('cmi.session_time', 'PT45M');
    second.Terminate('');
    expect(second.getState().values['cmi.total_time']).toBe('PT2H15M0S');
  });

  it('2004: stores the evaluated statuses', () => {
    const api = createScorm2004Api({ launch: { scaledPassingScore: 0.5, completionThreshold: 0.9 } });
    api.Initialize('');
    api.SetValue('cmi.success_status', 'failed');
    api.SetValue('cmi.score.scaled', '0.5');
    api.SetValue('cmi.completion_status', 'completed');
    api.SetValue('cmi.progress_measure', '0.2');
    api.Terminate('');
    const v = api.getState().values;
    expect(v['cmi.success_status']).toBe('passed');
    expect(v['cmi.completion_status']).toBe('incomplete');
  });

  it('1.2: mastery score decides passed/failed when credit is credit', () => {
    const run = (raw: string, credit: 'credit' | 'no-credit') => {
      const api = createScorm12Api({ launch: { masteryScore: 70, credit } });
      api.LMSInitialize('');
      api.LMSSetValue('cmi.core.lesson_status', 'completed');
      api.LMSSetValue('cmi.core.score.raw', raw);
      api.LMSFinish('');
      return api.getState().values['cmi.core.lesson_status'];
    };
    expect(run('70', 'credit')).toBe('passed');
    expect(run('69.5', 'credit')).toBe('failed');
    expect(run('', 'credit')).toBe('completed');
    expect(run('10', 'no-credit')).toBe('completed');
  });

  it('1.2: a status the SCO never set becomes completed at LMSFinish, then the mastery rule applies', () => {
    const finish = (launch: { masteryScore?: number }, raw?: string) => {
      const api = createScorm12Api({ launch });
      api.LMSInitialize('');
      if (raw !== undefined) api.LMSSetValue('cmi.core.score.raw', raw);
      expect(api.LMSGetValue('cmi.core.lesson_status')).toBe('not attempted');
      api.LMSFinish('');
      return api.getState().values['cmi.core.lesson_status'];
    };
    expect(finish({})).toBe('completed');
    expect(finish({ masteryScore: 80 })).toBe('completed');
    expect(finish({ masteryScore: 80 }, '90')).toBe('passed');
    expect(finish({ masteryScore: 80 }, '20')).toBe('failed');
  });

  it('1.2: browse mode turns an untouched status into browsed; session time accumulates', () => {
    const api = createScorm12Api({ launch: { mode: 'browse' } });
    api.LMSInitialize('');
    api.LMSSetValue('cmi.core.session_time', '0001:00:00');
    api.LMSSetValue('cmi.core.exit', 'suspend');
    api.LMSFinish('');
    const s = api.getState();
    expect(s.values['cmi.core.lesson_status']).toBe('browsed');
    expect(s.values['cmi.core.total_time']).toBe('0001:00:00.00');
    const next = createScorm12Api({ launch: { resume: s } });
    next.LMSInitialize('');
    expect(next.LMSGetValue('cmi.core.total_time')).toBe('0001:00:00.00');
    next.LMSSetValue('cmi.core.session_time', '00:30:00.5');
    next.LMSFinish('');
    expect(next.getState().values['cmi.core.total_time']).toBe('0001:30:00.50');
  });
});

describe('commit diffs', () => {
  it('lists successful SetValues since the last commit, coalesced, in first-set order', () => {
    const diffs: CommitDiff[] = [];
    const api = createScorm2004Api({ onCommit: (d) => void diffs.push(d) });
    api.Initialize('');
    api.SetValue('cmi.location', 'a');
    api.SetValue('cmi.interactions.0.id', 'q1');
    api.SetValue('cmi.interactions.0.type', 'bogus');
    api.SetValue('cmi.interactions.0.type', 'choice');
    api.SetValue('cmi.location', 'b');
    expect(api.Commit('')).toBe('true');
    api.SetValue('cmi.session_time', 'PT5S');
    api.Terminate('');
    expect(diffs).toEqual([
      {
        seq: 1,
        ops: [
          ['cmi.location', 'b'],
          ['cmi.interactions.0.id', 'q1'],
          ['cmi.interactions.0.type', 'choice'],
        ],
        terminated: false,
      },
      { seq: 2, ops: [['cmi.session_time', 'PT5S']], terminated: true, sessionTime: 'PT5S' },
    ]);
    expect(api.getState().seq).toBe(2);
  });

  it('keeps the operations when the LMS refuses a commit (391 / 111 / 101)', () => {
    let accept = false;
    const seen: CommitDiff[] = [];
    const api = createScorm2004Api({
      onCommit: (d) => {
        seen.push(d);
        return accept;
      },
    });
    api.Initialize('');
    api.SetValue('cmi.location', 'x');
    expect(api.Commit('')).toBe('false');
    expect(api.GetLastError()).toBe('391');
    expect(api.Terminate('')).toBe('false');
    expect(api.GetLastError()).toBe('111');
    accept = true;
    expect(api.Commit('')).toBe('true');
    expect(seen.at(-1)).toEqual({ seq: 1, ops: [['cmi.location', 'x']], terminated: false });
    const v12 = createScorm12Api({ onCommit: () => false });
    v12.LMSInitialize('');
    expect(v12.LMSCommit('')).toBe('false');
    expect(v12.LMSGetLastError()).toBe('101');
  });
});
