import { describe, expect, it } from 'vitest';
import { createScorm12Api, type Scorm12Api, type Scorm12ApiOptions } from './api.js';

function started(options: Scorm12ApiOptions = {}): Scorm12Api {
  const api = createScorm12Api(options);
  expect(api.LMSInitialize('')).toBe('true');
  return api;
}

function setOk(api: Scorm12Api, el: string, v: string): void {
  expect(api.LMSSetValue(el, v), `${el} = ${v}: ${api.LMSGetDiagnostic('')}`).toBe('true');
}

function setFails(api: Scorm12Api, el: string, v: string, code: string): void {
  expect(api.LMSSetValue(el, v), `${el} = ${v}`).toBe('false');
  expect(api.LMSGetLastError(), `${el} = ${v}: ${api.LMSGetDiagnostic('')}`).toBe(code);
}

function getFails(api: Scorm12Api, el: string, code: string): void {
  expect(api.LMSGetValue(el), el).toBe('');
  expect(api.LMSGetLastError(), `${el}: ${api.LMSGetDiagnostic('')}`).toBe(code);
}

describe('SCORM 1.2 API state machine', () => {
  it('answers 301 before LMSInitialize and after LMSFinish', () => {
    const api = createScorm12Api();
    getFails(api, 'cmi.core.lesson_location', '301');
    setFails(api, 'cmi.core.lesson_location', 'x', '301');
    expect(api.LMSCommit('')).toBe('false');
    expect(api.LMSGetLastError()).toBe('301');
    expect(api.LMSFinish('')).toBe('false');
    expect(api.LMSGetLastError()).toBe('301');
    expect(api.LMSInitialize('x')).toBe('false');
    expect(api.LMSGetLastError()).toBe('201');
    expect(api.LMSInitialize('')).toBe('true');
    expect(api.LMSInitialize('')).toBe('false');
    expect(api.LMSGetLastError()).toBe('101');
    expect(api.LMSCommit('x')).toBe('false');
    expect(api.LMSGetLastError()).toBe('201');
    expect(api.LMSCommit('')).toBe('true');
    expect(api.LMSFinish('x')).toBe('false');
    expect(api.LMSGetLastError()).toBe('201');
    expect(api.LMSFinish('')).toBe('true');
    expect(api.LMSGetLastError()).toBe('0');
    getFails(api, 'cmi.core.lesson_location', '301');
    setFails(api, 'cmi.core.lesson_location', 'x', '301');
    expect(api.LMSFinish('')).toBe('false');
    expect(api.LMSGetLastError()).toBe('301');
    expect(api.LMSInitialize('')).toBe('false');
    expect(api.LMSGetLastError()).toBe('101');
  });

  it('accepts a missing parameter as "" and numeric error codes', () => {
    const api = createScorm12Api();
    const call = api as unknown as { LMSInitialize(): string; LMSCommit(): string; LMSFinish(): string };
    expect(call.LMSInitialize()).toBe('true');
    setFails(api, 'cmi.core.student_id', 'x', '403');
    expect(api.LMSGetDiagnostic(403 as unknown as string)).toBe('cmi.core.student_id: read only');
    expect(api.LMSGetErrorString(405 as unknown as string)).toBe('Incorrect data type');
    expect(call.LMSCommit()).toBe('true');
    expect(call.LMSFinish()).toBe('true');
  });

  it('answers error strings and diagnostics', () => {
    const api = started();
    expect(api.LMSGetErrorString('405')).toBe('Incorrect data type');
    expect(api.LMSGetErrorString('0')).toBe('No error');
    expect(api.LMSGetErrorString('351')).toBe('');
    setFails(api, 'cmi.core.student_id', 'x', '403');
    expect(api.LMSGetDiagnostic('')).toBe('cmi.core.student_id: read only');
    expect(api.LMSGetDiagnostic('403')).toBe('cmi.core.student_id: read only');
    expect(api.LMSGetDiagnostic('201')).toBe('Invalid argument error');
  });
});

describe('SCORM 1.2 keywords', () => {
  const api = started();
  it.each([
    [
      'cmi.core._children',
      'student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time',
    ],
    ['cmi.core.score._children', 'raw,min,max'],
    ['cmi.objectives._children', 'id,score,status'],
    ['cmi.student_data._children', 'mastery_score,max_time_allowed,time_limit_action'],
    ['cmi.student_preference._children', 'audio,language,speed,text'],
    [
      'cmi.interactions._children',
      'id,objectives,time,type,correct_responses,weighting,student_response,result,latency',
    ],
    ['cmi._version', '3.4'],
    [
      'cmi._children',
      'core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions',
    ],
    ['cmi.objectives._count', '0'],
    ['cmi.interactions._count', '0'],
  ])('LMSGetValue(%s) = %s', (el, v) => {
    expect(api.LMSGetValue(el)).toBe(v);
    expect(api.LMSGetLastError()).toBe('0');
  });

  it('reports 202 / 203 for keywords an element does not have, 402 when setting one', () => {
    getFails(api, 'cmi.core.student_id._children', '202');
    getFails(api, 'cmi.core._count', '203');
    getFails(api, 'cmi.core.score._count', '203');
    setFails(api, 'cmi._version', '4', '402');
    setFails(api, 'cmi.core._children', 'x', '402');
    setFails(api, 'cmi.objectives._count', '3', '402');
  });

  it('reports 401 for unknown elements and 201 for an empty one', () => {
    getFails(api, 'cmi.core.nothing', '401');
    getFails(api, 'cmi.learner_id', '401');
    setFails(api, 'cmi.location', 'x', '401');
    getFails(api, '', '201');
    setFails(api, '', 'x', '201');
  });
});

describe('SCORM 1.2 elements', () => {
  it('returns the LMS values and the defaults', () => {
    const api = started({
      launch: {
        learnerId: 'u-7',
        learnerName: 'Lovelace, Ada',
        credit: 'no-credit',
        mode: 'browse',
        launchData: 'x=1',
        masteryScore: 80,
        maxTimeAllowed: '00:30:00',
        timeLimitAction: 'exit,message',
        commentsFromLms: 'Read chapter 2',
      },
    });
    const expected: [string, string][] = [
      ['cmi.core.student_id', 'u-7'],
      ['cmi.core.student_name', 'Lovelace, Ada'],
      ['cmi.core.credit', 'no-credit'],
      ['cmi.core.lesson_mode', 'browse'],
      ['cmi.core.entry', 'ab-initio'],
      ['cmi.core.lesson_status', 'not attempted'],
      ['cmi.core.total_time', '0000:00:00.00'],
      ['cmi.core.lesson_location', ''],
      ['cmi.core.score.raw', ''],
      ['cmi.launch_data', 'x=1'],
      ['cmi.student_data.mastery_score', '80'],
      ['cmi.student_data.max_time_allowed', '00:30:00'],
      ['cmi.student_data.time_limit_action', 'exit,message'],
      ['cmi.comments_from_lms', 'Read chapter 2'],
      ['cmi.suspend_data', ''],
      ['cmi.comments', ''],
      ['cmi.student_preference.language', ''],
    ];
    for (const [el, v] of expected) {
      expect(api.LMSGetValue(el), el).toBe(v);
      expect(api.LMSGetLastError(), el).toBe('0');
    }
  });

  it.each([
    'cmi.core.student_id',
    'cmi.core.student_name',
    'cmi.core.credit',
    'cmi.core.entry',
    'cmi.core.total_time',
    'cmi.core.lesson_mode',
    'cmi.launch_data',
    'cmi.comments_from_lms',
    'cmi.student_data.mastery_score',
    'cmi.student_data.max_time_allowed',
    'cmi.student_data.time_limit_action',
  ])('read-only %s refuses LMSSetValue with 403', (el) => {
    setFails(started(), el, '1', '403');
  });

  it('write-only elements read as 404', () => {
    const api = started();
    setOk(api, 'cmi.core.exit', 'suspend');
    for (const v of ['time-out', 'logout', '']) setOk(api, 'cmi.core.exit', v);
    setFails(api, 'cmi.core.exit', 'normal', '405');
    getFails(api, 'cmi.core.exit', '404');
    setOk(api, 'cmi.core.session_time', '0001:02:03.5');
    setFails(api, 'cmi.core.session_time', 'PT1H', '405');
    getFails(api, 'cmi.core.session_time', '404');
  });

  // [element, valid, invalid (405)]
  const cases: [string, string[], string[]][] = [
    ['cmi.core.lesson_location', ['', 'p3'], ['x'.repeat(256)]],
    [
      'cmi.core.lesson_status',
      ['passed', 'completed', 'failed', 'incomplete', 'browsed'],
      ['not attempted', 'done'],
    ],
    ['cmi.core.score.raw', ['', '0', '85.5', '100'], ['101', '-1', 'abc']],
    ['cmi.core.score.min', ['0'], ['x']],
    ['cmi.core.score.max', ['100'], ['200']],
    ['cmi.comments', ['Great'], ['x'.repeat(4097)]],
    ['cmi.student_preference.audio', ['-1', '0', '100'], ['101', '-2', 'loud']],
    ['cmi.student_preference.language', ['en'], ['x'.repeat(256)]],
    ['cmi.student_preference.speed', ['-100', '0', '100'], ['101', 'fast']],
    ['cmi.student_preference.text', ['-1', '0', '1'], ['2']],
  ];
  it.each(cases)('%s', (el, valid, invalid) => {
    const api = started({ strict: true });
    for (const v of valid) {
      setOk(api, el, v);
      expect(api.LMSGetValue(el)).toBe(v);
    }
    for (const v of invalid) setFails(api, el, v, '405');
  });
});

describe('SCORM 1.2 collections', () => {
  it('objectives: append at _count, 201 for gaps, every field read/write', () => {
    const api = started();
    setFails(api, 'cmi.objectives.1.id', 'o', '201');
    setOk(api, 'cmi.objectives.0.id', 'obj1');
    setOk(api, 'cmi.objectives.0.score.raw', '50');
    setOk(api, 'cmi.objectives.0.status', 'not attempted');
    setFails(api, 'cmi.objectives.0.status', 'done', '405');
    expect(api.LMSGetValue('cmi.objectives.0.id')).toBe('obj1');
    expect(api.LMSGetValue('cmi.objectives.0.score._children')).toBe('raw,min,max');
    expect(api.LMSGetValue('cmi.objectives.0.score.raw')).toBe('50');
    expect(api.LMSGetValue('cmi.objectives._count')).toBe('1');
    getFails(api, 'cmi.objectives.1.id', '201');
  });

  it('interactions are write-only except their counts', () => {
    const api = started();
    setOk(api, 'cmi.interactions.0.id', 'q1');
    setOk(api, 'cmi.interactions.0.type', 'choice');
    setFails(api, 'cmi.interactions.0.type', 'essay', '405');
    setOk(api, 'cmi.interactions.0.time', '10:30:00');
    setFails(api, 'cmi.interactions.0.time', '25:00:00', '405');
    setOk(api, 'cmi.interactions.0.objectives.0.id', 'obj1');
    setOk(api, 'cmi.interactions.0.correct_responses.0.pattern', 'a');
    setOk(api, 'cmi.interactions.0.weighting', '1');
    setOk(api, 'cmi.interactions.0.student_response', 'a');
    for (const r of ['correct', 'wrong', 'unanticipated', 'neutral', '0.5'])
      setOk(api, 'cmi.interactions.0.result', r);
    setFails(api, 'cmi.interactions.0.result', 'incorrect', '405');
    setOk(api, 'cmi.interactions.0.latency', '0000:00:05.00');
    getFails(api, 'cmi.interactions.0.id', '404');
    getFails(api, 'cmi.interactions.0.student_response', '404');
    expect(api.LMSGetValue('cmi.interactions._count')).toBe('1');
    expect(api.LMSGetValue('cmi.interactions.0.objectives._count')).toBe('1');
    expect(api.LMSGetValue('cmi.interactions.0.correct_responses._count')).toBe('1');
    setFails(api, 'cmi.interactions.2.id', 'q3', '201');
    setFails(api, 'cmi.interactions.1.objectives.0.id', 'o', '201');
  });
});

describe('SCORM 1.2 tolerance', () => {
  const big = 'd'.repeat(5000);
  it('keeps suspend_data beyond 4096 characters and records it', () => {
    const api = started();
    setOk(api, 'cmi.suspend_data', big);
    expect(api.LMSGetValue('cmi.suspend_data')).toBe(big);
    expect(api.getState().diagnostics).toEqual([
      { code: 'SPM_EXCEEDED', element: 'cmi.suspend_data', length: 5000, count: 1 },
    ]);
  });

  it('keeps long timespans and identifiers with spaces, refuses them in strict mode', () => {
    const api = started();
    setOk(api, 'cmi.core.session_time', '12345:00:00');
    setOk(api, 'cmi.interactions.0.id', 'question 1');
    const codes = api.getState().diagnostics.map((d) => d.code);
    expect(codes).toEqual(['TIMESPAN_HOURS', 'IDENTIFIER_LENIENT']);
    const strict = started({ strict: true });
    setFails(strict, 'cmi.suspend_data', big, '405');
    setFails(strict, 'cmi.core.session_time', '12345:00:00', '405');
    setFails(strict, 'cmi.interactions.0.id', 'question 1', '405');
  });
});
