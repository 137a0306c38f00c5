import { describe, expect, it } from 'vitest';
import { createScorm2004Api, type Scorm2004Api, type Scorm2004ApiOptions } from './api.js';

function started(options: Scorm2004ApiOptions = {}): Scorm2004Api {
  const api = createScorm2004Api(options);
  expect(api.Initialize('')).toBe('true');
  return api;
}

function setOk(api: Scorm2004Api, el: string, v: string): void {
  expect(api.SetValue(el, v), `${el} = ${v}: ${api.GetDiagnostic('')}`).toBe('true');
}

function setFails(api: Scorm2004Api, el: string, v: string, code: string): void {
  expect(api.SetValue(el, v), `${el} = ${v}`).toBe('false');
  expect(api.GetLastError(), `${el} = ${v}: ${api.GetDiagnostic('')}`).toBe(code);
}

function getFails(api: Scorm2004Api, el: string, code: string): void {
  expect(api.GetValue(el), el).toBe('');
  expect(api.GetLastError(), `${el}: ${api.GetDiagnostic('')}`).toBe(code);
}

describe('SCORM 2004 API state machine', () => {
  it('refuses every call before Initialize with the "before initialization" codes', () => {
    const api = createScorm2004Api();
    expect(api.GetValue('cmi.location')).toBe('');
    expect(api.GetLastError()).toBe('122');
    expect(api.SetValue('cmi.location', 'x')).toBe('false');
    expect(api.GetLastError()).toBe('132');
    expect(api.Commit('')).toBe('false');
    expect(api.GetLastError()).toBe('142');
    expect(api.Terminate('')).toBe('false');
    expect(api.GetLastError()).toBe('112');
  });

  it('initializes once, with an empty parameter only', () => {
    const api = createScorm2004Api();
    expect(api.Initialize('x')).toBe('false');
    expect(api.GetLastError()).toBe('201');
    expect(api.Initialize('')).toBe('true');
    expect(api.GetLastError()).toBe('0');
    expect(api.Initialize('')).toBe('false');
    expect(api.GetLastError()).toBe('103');
  });

  it('refuses every call after Terminate with the "after termination" codes', () => {
    const api = started();
    expect(api.Commit('x')).toBe('false');
    expect(api.GetLastError()).toBe('201');
    expect(api.Terminate('x')).toBe('false');
    expect(api.GetLastError()).toBe('201');
    expect(api.Terminate('')).toBe('true');
    expect(api.Terminate('')).toBe('false');
    expect(api.GetLastError()).toBe('113');
    expect(api.GetValue('cmi.location')).toBe('');
    expect(api.GetLastError()).toBe('123');
    expect(api.SetValue('cmi.location', 'x')).toBe('false');
    expect(api.GetLastError()).toBe('133');
    expect(api.Commit('')).toBe('false');
    expect(api.GetLastError()).toBe('143');
    expect(api.Initialize('')).toBe('false');
    expect(api.GetLastError()).toBe('104');
  });

  it('answers error strings and diagnostics; the diagnostic names the element and the rule', () => {
    const api = started();
    expect(api.GetErrorString('406')).toBe('Data Model Element Type Mismatch');
    expect(api.GetErrorString('0')).toBe('No Error');
    expect(api.GetErrorString('999')).toBe('');
    setFails(api, 'cmi.score.scaled', '2', '407');
    expect(api.GetDiagnostic('')).toContain('cmi.score.scaled');
    expect(api.GetDiagnostic('407')).toContain('out of range');
    expect(api.GetDiagnostic('401')).toBe('Undefined Data Model Element');
    setOk(api, 'cmi.location', 'a');
    expect(api.GetDiagnostic('')).toBe('');
  });

  it('works when content calls the methods detached from the API object', () => {
    const { Initialize, SetValue, GetValue, GetLastError } = createScorm2004Api();
    expect(Initialize('')).toBe('true');
    expect(SetValue('cmi.location', 'p4')).toBe('true');
    expect(GetValue('cmi.location')).toBe('p4');
    expect(GetValue('cmi.exit')).toBe('');
    expect(GetLastError()).toBe('405');
  });

  it('accepts non-string values as their string form', () => {
    const api = started();
    expect(api.SetValue('cmi.score.raw', 85 as unknown as string)).toBe('true');
    expect(api.GetValue('cmi.score.raw')).toBe('85');
  });
});

describe('SCORM 2004 keywords', () => {
  const api = started();
  it.each([
    ['cmi.comments_from_learner._children', 'comment,timestamp,location'],
    ['cmi.comments_from_lms._children', 'comment,timestamp,location'],
    [
      'cmi.interactions._children',
      'id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description',
    ],
    ['cmi.learner_preference._children', 'audio_level,language,delivery_speed,audio_captioning'],
    ['cmi.objectives._children', 'id,score,success_status,completion_status,progress_measure,description'],
    ['cmi.score._children', 'scaled,raw,min,max'],
    ['adl.data._children', 'id,store'],
    ['cmi._version', '1.0'],
    ['cmi.interactions._count', '0'],
    ['cmi.objectives._count', '0'],
    ['cmi.comments_from_learner._count', '0'],
    ['cmi.comments_from_lms._count', '0'],
    ['adl.data._count', '0'],
  ])('GetValue(%s) = %s', (el, expected) => {
    expect(api.GetValue(el)).toBe(expected);
    expect(api.GetLastError()).toBe('0');
  });

  it('reports 301 for _children/_count of elements without them, 401 for unknown ones', () => {
    getFails(api, 'cmi.location._children', '301');
    getFails(api, 'cmi.score._count', '301');
    getFails(api, 'cmi.learner_id._count', '301');
    getFails(api, 'cmi.nothing._children', '401');
    getFails(api, 'cmi.location._version', '401');
    getFails(api, 'cmi.objectives._version', '401');
  });

  it('refuses to set keywords with 404', () => {
    setFails(api, 'cmi._version', '2', '404');
    setFails(api, 'cmi.interactions._count', '2', '404');
    setFails(api, 'cmi.score._children', 'x', '404');
    setFails(api, 'cmi.nothing._children', 'x', '401');
  });

  it('reports 401 for undefined elements and 301 / 351 for an empty name', () => {
    getFails(api, 'cmi.core.student_id', '401');
    getFails(api, 'cmi.interactions', '401');
    getFails(api, 'cmi.objectives.0', '401');
    getFails(api, 'cmi..location', '401');
    getFails(api, 'cmi.location.', '401');
    getFails(api, 'cmi.objectives.01.id', '301');
    setFails(api, 'cmi.objectives.00.id', 'x', '351');
    getFails(api, 'adl.nav.request_valid.choice', '401');
    getFails(api, '', '301');
    setFails(api, '', 'x', '351');
    setFails(api, 'cmi.foo', 'x', '401');
  });
});

// [element, valid values, type mismatches (406), out of range (407)]
const RW_CASES: [string, string[], string[], string[]][] = [
  ['cmi.completion_status', ['completed', 'incomplete', 'not attempted', 'unknown'], ['done', ''], []],
  ['cmi.success_status', ['passed', 'failed', 'unknown'], ['pass'], []],
  ['cmi.location', ['', 'page 3'], [], []],
  ['cmi.progress_measure', ['0', '0.5', '1'], ['half'], ['1.1', '-0.1']],
  ['cmi.score.scaled', ['-1', '0.25', '1'], ['x', '1e0'], ['1.0001', '-2']],
  ['cmi.score.raw', ['-5', '85', '1000.5'], ['', 'abc'], []],
  ['cmi.score.min', ['0'], ['zero'], []],
  ['cmi.score.max', ['100'], ['hundred'], []],
  ['cmi.suspend_data', ['', 'abc'], [], []],
  ['cmi.learner_preference.audio_level', ['0', '2.5'], ['loud'], ['-1']],
  ['cmi.learner_preference.language', ['', 'en', 'fr-CA'], ['english!'], []],
  ['cmi.learner_preference.delivery_speed', ['0.5', '1'], ['fast'], ['-0.5']],
  ['cmi.learner_preference.audio_captioning', ['-1', '0', '1'], ['2', 'on'], []],
  [
    'adl.nav.request',
    ['continue', 'previous', '_none_', 'exitAll', '{target=sco-2}choice', '{target=x}jump'],
    ['go', '{target=}choice', '{target=a}run'],
    [],
  ],
];

describe('SCORM 2004 read/write elements', () => {
  it.each(RW_CASES)('%s', (el, valid, mismatch, range) => {
    const api = started();
    for (const v of valid) {
      setOk(api, el, v);
      expect(api.GetValue(el)).toBe(v);
    }
    for (const v of mismatch) setFails(api, el, v, '406');
    for (const v of range) setFails(api, el, v, '407');
  });

  it('write-only elements: cmi.exit and cmi.session_time read as 405', () => {
    const api = started();
    for (const v of ['time-out', 'suspend', 'logout', 'normal', '']) setOk(api, 'cmi.exit', v);
    setFails(api, 'cmi.exit', 'quit', '406');
    getFails(api, 'cmi.exit', '405');
    setOk(api, 'cmi.session_time', 'PT1H2M3.5S');
    setFails(api, 'cmi.session_time', '01:00:00', '406');
    getFails(api, 'cmi.session_time', '405');
  });

  it.each([
    'cmi.completion_threshold',
    'cmi.credit',
    'cmi.entry',
    'cmi.launch_data',
    'cmi.learner_id',
    'cmi.learner_name',
    'cmi.max_time_allowed',
    'cmi.mode',
    'cmi.scaled_passing_score',
    'cmi.time_limit_action',
    'cmi.total_time',
    'adl.nav.request_valid.continue',
    'adl.nav.request_valid.previous',
    'adl.nav.request_valid.choice.{target=a}',
    'adl.nav.request_valid.jump.{target=a}',
  ])('read-only %s refuses SetValue with 404', (el) => {
    setFails(started(), el, 'x', '404');
  });

  it('returns the defaults and reports 403 for values nobody set', () => {
    const api = started();
    const defaults: [string, string][] = [
      ['cmi.completion_status', 'unknown'],
      ['cmi.success_status', 'unknown'],
      ['cmi.credit', 'credit'],
      ['cmi.entry', 'ab-initio'],
      ['cmi.mode', 'normal'],
      ['cmi.time_limit_action', 'continue,no message'],
      ['cmi.total_time', 'PT0H0M0S'],
      ['cmi.learner_preference.audio_level', '1'],
      ['cmi.learner_preference.delivery_speed', '1'],
      ['cmi.learner_preference.audio_captioning', '0'],
      ['cmi.learner_preference.language', ''],
      ['adl.nav.request', '_none_'],
      ['adl.nav.request_valid.continue', 'unknown'],
      ['adl.nav.request_valid.previous', 'unknown'],
      ['adl.nav.request_valid.choice.{target=x}', 'unknown'],
    ];
    for (const [el, v] of defaults) {
      expect(api.GetValue(el), el).toBe(v);
      expect(api.GetLastError(), el).toBe('0');
    }
    for (const el of [
      'cmi.location',
      'cmi.suspend_data',
      'cmi.progress_measure',
      'cmi.score.scaled',
      'cmi.score.raw',
      'cmi.score.min',
      'cmi.score.max',
      'cmi.launch_data',
      'cmi.completion_threshold',
      'cmi.scaled_passing_score',
      'cmi.max_time_allowed',
    ]) {
      getFails(api, el, '403');
    }
  });
});

describe('SCORM 2004 launch context', () => {
  it('exposes what the LMS supplied', () => {
    const api = started({
      launch: {
        learnerId: 'u-1',
        learnerName: 'Ada Lovelace',
        credit: 'no-credit',
        mode: 'review',
        launchData: 'level=2',
        scaledPassingScore: 0.8,
        completionThreshold: 0.75,
        maxTimeAllowed: 'PT1H',
        timeLimitAction: 'exit,message',
        commentsFromLms: [{ comment: 'Welcome', location: 'start', timestamp: '2026-01-01T10:00:00' }],
        navRequestValid: { continue: 'true', previous: 'false', 'choice.sco-2': 'true' },
      },
    });
    const expected: [string, string][] = [
      ['cmi.learner_id', 'u-1'],
      ['cmi.learner_name', 'Ada Lovelace'],
      ['cmi.credit', 'no-credit'],
      ['cmi.mode', 'review'],
      ['cmi.launch_data', 'level=2'],
      ['cmi.scaled_passing_score', '0.8'],
      ['cmi.completion_threshold', '0.75'],
      ['cmi.max_time_allowed', 'PT1H'],
      ['cmi.time_limit_action', 'exit,message'],
      ['cmi.comments_from_lms._count', '1'],
      ['cmi.comments_from_lms.0.comment', 'Welcome'],
      ['cmi.comments_from_lms.0.location', 'start'],
      ['cmi.comments_from_lms.0.timestamp', '2026-01-01T10:00:00'],
      ['adl.nav.request_valid.continue', 'true'],
      ['adl.nav.request_valid.previous', 'false'],
      ['adl.nav.request_valid.choice.{target=sco-2}', 'true'],
      ['adl.nav.request_valid.choice.{target=sco-3}', 'unknown'],
    ];
    for (const [el, v] of expected) expect(api.GetValue(el), el).toBe(v);
    setFails(api, 'cmi.comments_from_lms.0.comment', 'x', '404');
    getFails(api, 'cmi.comments_from_lms.1.comment', '301');
  });

  it('pre-creates the manifest objectives', () => {
    const api = started({ launch: { objectives: ['obj-a', 'obj-b'] } });
    expect(api.GetValue('cmi.objectives._count')).toBe('2');
    expect(api.GetValue('cmi.objectives.1.id')).toBe('obj-b');
    setOk(api, 'cmi.objectives.1.success_status', 'passed');
  });
});

describe('SCORM 2004 evaluation on GetValue', () => {
  it('completion_status follows progress_measure against completion_threshold', () => {
    const api = started({ launch: { completionThreshold: 0.6 } });
    expect(api.GetValue('cmi.completion_status')).toBe('unknown');
    setOk(api, 'cmi.completion_status', 'completed');
    expect(api.GetValue('cmi.completion_status')).toBe('unknown');
    setOk(api, 'cmi.progress_measure', '0.5');
    expect(api.GetValue('cmi.completion_status')).toBe('incomplete');
    setOk(api, 'cmi.progress_measure', '0.6');
    expect(api.GetValue('cmi.completion_status')).toBe('completed');
  });

  it('completion_status is the SCO value without a threshold', () => {
    const api = started();
    setOk(api, 'cmi.progress_measure', '1');
    expect(api.GetValue('cmi.completion_status')).toBe('unknown');
    setOk(api, 'cmi.completion_status', 'incomplete');
    expect(api.GetValue('cmi.completion_status')).toBe('incomplete');
  });

  it('success_status follows score.scaled against scaled_passing_score', () => {
    const api = started({ launch: { scaledPassingScore: 0.7 } });
    setOk(api, 'cmi.success_status', 'passed');
    expect(api.GetValue('cmi.success_status')).toBe('unknown');
    setOk(api, 'cmi.score.scaled', '0.69');
    expect(api.GetValue('cmi.success_status')).toBe('failed');
    setOk(api, 'cmi.score.scaled', '0.7');
    expect(api.GetValue('cmi.success_status')).toBe('passed');
  });

  it('success_status is the SCO value without a passing score', () => {
    const api = started();
    setOk(api, 'cmi.score.scaled', '0.1');
    expect(api.GetValue('cmi.success_status')).toBe('unknown');
    setOk(api, 'cmi.success_status', 'passed');
    expect(api.GetValue('cmi.success_status')).toBe('passed');
  });
});
