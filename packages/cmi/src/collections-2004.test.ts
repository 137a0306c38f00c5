import { describe, expect, it } from 'vitest';
import { createScorm2004Api, type Scorm2004Api, type Scorm2004ApiOptions } from './api.js';

function started(options: Scorm2004ApiOptions = {}): Scorm2004Api {
  const api = createScorm2004Api(options);
  api.Initialize('');
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

describe('SCORM 2004 cmi.objectives', () => {
  it('appends at n == _count, refuses gaps with 351 and fields before the id with 408', () => {
    const api = started();
    setFails(api, 'cmi.objectives.1.id', 'a', '351');
    setFails(api, 'cmi.objectives.0.success_status', 'passed', '408');
    setOk(api, 'cmi.objectives.0.id', 'urn:obj:a');
    expect(api.GetValue('cmi.objectives._count')).toBe('1');
    setOk(api, 'cmi.objectives.1.id', 'b');
    expect(api.GetValue('cmi.objectives._count')).toBe('2');
    getFails(api, 'cmi.objectives.2.id', '301');
    setFails(api, 'cmi.objectives.3.id', 'c', '351');
  });

  it('keeps ids unique and immutable (351)', () => {
    const api = started();
    setOk(api, 'cmi.objectives.0.id', 'a');
    setOk(api, 'cmi.objectives.1.id', 'b');
    setFails(api, 'cmi.objectives.1.id', 'a', '351');
    setFails(api, 'cmi.objectives.2.id', 'a', '351');
    expect(api.GetValue('cmi.objectives._count')).toBe('2');
    setFails(api, 'cmi.objectives.0.id', 'z', '351');
    setOk(api, 'cmi.objectives.0.id', 'a');
    setFails(api, 'cmi.objectives.0.id', 'urn:adl:lms Test/OBJ01', '406');
    setFails(api, 'cmi.objectives.0.id', '', '406');
  });

  it('validates every objective field and reports 403 for unset ones', () => {
    const api = started();
    setOk(api, 'cmi.objectives.0.id', 'a');
    expect(api.GetValue('cmi.objectives.0.success_status')).toBe('unknown');
    expect(api.GetValue('cmi.objectives.0.completion_status')).toBe('unknown');
    for (const f of [
      'score.scaled',
      'score.raw',
      'score.min',
      'score.max',
      'progress_measure',
      'description',
    ]) {
      getFails(api, `cmi.objectives.0.${f}`, '403');
    }
    expect(api.GetValue('cmi.objectives.0.score._children')).toBe('scaled,raw,min,max');
    setOk(api, 'cmi.objectives.0.score.scaled', '-0.5');
    setFails(api, 'cmi.objectives.0.score.scaled', '1.5', '407');
    setOk(api, 'cmi.objectives.0.score.raw', '12');
    setFails(api, 'cmi.objectives.0.score.raw', 'x', '406');
    setOk(api, 'cmi.objectives.0.progress_measure', '0.3');
    setFails(api, 'cmi.objectives.0.progress_measure', '3', '407');
    setOk(api, 'cmi.objectives.0.success_status', 'failed');
    setFails(api, 'cmi.objectives.0.success_status', 'done', '406');
    setOk(api, 'cmi.objectives.0.completion_status', 'incomplete');
    setOk(api, 'cmi.objectives.0.description', '{lang=en}Know the rules');
    setFails(api, 'cmi.objectives.0.description', '{lang=en', '406');
    expect(api.GetValue('cmi.objectives.0.description')).toBe('{lang=en}Know the rules');
  });
});

describe('SCORM 2004 cmi.interactions', () => {
  it('requires the id first (408) and keeps the index rules', () => {
    const api = started();
    setFails(api, 'cmi.interactions.0.type', 'choice', '408');
    setFails(api, 'cmi.interactions.0.objectives.0.id', 'o', '408');
    setFails(api, 'cmi.interactions.1.id', 'q1', '351');
    setOk(api, 'cmi.interactions.0.id', 'q1');
    expect(api.GetValue('cmi.interactions._count')).toBe('1');
    expect(api.GetValue('cmi.interactions.0.objectives._count')).toBe('0');
    expect(api.GetValue('cmi.interactions.0.correct_responses._count')).toBe('0');
    for (const f of [
      'type',
      'timestamp',
      'weighting',
      'learner_response',
      'result',
      'latency',
      'description',
    ]) {
      getFails(api, `cmi.interactions.0.${f}`, '403');
    }
    getFails(api, 'cmi.interactions.1.id', '301');
    getFails(api, 'cmi.interactions.1.objectives._count', '301');
  });

  it('validates each field', () => {
    const api = started();
    setOk(api, 'cmi.interactions.0.id', 'q1');
    setOk(api, 'cmi.interactions.0.type', 'choice');
    setFails(api, 'cmi.interactions.0.type', 'essay', '406');
    setOk(api, 'cmi.interactions.0.timestamp', '2026-03-04T05:06:07.8Z');
    setFails(api, 'cmi.interactions.0.timestamp', 'yesterday', '406');
    setOk(api, 'cmi.interactions.0.weighting', '2.5');
    setFails(api, 'cmi.interactions.0.weighting', 'heavy', '406');
    for (const r of ['correct', 'incorrect', 'unanticipated', 'neutral', '0.5']) {
      setOk(api, 'cmi.interactions.0.result', r);
    }
    setFails(api, 'cmi.interactions.0.result', 'wrong', '406');
    setOk(api, 'cmi.interactions.0.latency', 'PT5S');
    setFails(api, 'cmi.interactions.0.latency', '5s', '406');
    setOk(api, 'cmi.interactions.0.description', 'Pick one');
    setOk(api, 'cmi.interactions.0.learner_response', 'a[,]b');
    setFails(api, 'cmi.interactions.0.learner_response', 'a[,]a', '406');
    expect(api.GetValue('cmi.interactions.0.learner_response')).toBe('a[,]b');
  });

  it('needs the type before a learner_response or a correct_responses pattern (408)', () => {
    const api = started();
    setOk(api, 'cmi.interactions.0.id', 'q1');
    setFails(api, 'cmi.interactions.0.learner_response', 'true', '408');
    setFails(api, 'cmi.interactions.0.correct_responses.0.pattern', 'true', '408');
    setOk(api, 'cmi.interactions.0.type', 'true-false');
    setOk(api, 'cmi.interactions.0.correct_responses.0.pattern', 'true');
    setFails(api, 'cmi.interactions.0.correct_responses.0.pattern', 'yes', '406');
    setOk(api, 'cmi.interactions.0.learner_response', 'false');
  });

  it('limits single-pattern types to one correct response and keeps choice patterns unique (351)', () => {
    const api = started();
    setOk(api, 'cmi.interactions.0.id', 'q1');
    setOk(api, 'cmi.interactions.0.type', 'numeric');
    setOk(api, 'cmi.interactions.0.correct_responses.0.pattern', '1[:]5');
    setFails(api, 'cmi.interactions.0.correct_responses.1.pattern', '2[:]3', '351');
    setOk(api, 'cmi.interactions.1.id', 'q2');
    setOk(api, 'cmi.interactions.1.type', 'choice');
    setOk(api, 'cmi.interactions.1.correct_responses.0.pattern', 'a[,]b');
    setOk(api, 'cmi.interactions.1.correct_responses.1.pattern', 'c');
    setFails(api, 'cmi.interactions.1.correct_responses.2.pattern', 'a[,]b', '351');
    expect(api.GetValue('cmi.interactions.1.correct_responses._count')).toBe('2');
    expect(api.GetValue('cmi.interactions.1.correct_responses.1.pattern')).toBe('c');
  });

  it('refuses to change the type once correct responses exist (351)', () => {
    const api = started();
    setOk(api, 'cmi.interactions.0.id', 'q1');
    setOk(api, 'cmi.interactions.0.type', 'fill-in');
    setOk(api, 'cmi.interactions.0.type', 'choice');
    setOk(api, 'cmi.interactions.0.correct_responses.0.pattern', 'a');
    setOk(api, 'cmi.interactions.0.type', 'choice');
    setFails(api, 'cmi.interactions.0.type', 'fill-in', '351');
  });

  it('keeps interaction objective ids unique', () => {
    const api = started();
    setOk(api, 'cmi.interactions.0.id', 'q1');
    setOk(api, 'cmi.interactions.0.objectives.0.id', 'o1');
    setOk(api, 'cmi.interactions.0.objectives.1.id', 'o2');
    setFails(api, 'cmi.interactions.0.objectives.2.id', 'o1', '351');
    expect(api.GetValue('cmi.interactions.0.objectives._count')).toBe('2');
    expect(api.GetValue('cmi.interactions.0.objectives.1.id')).toBe('o2');
  });
});

describe('SCORM 2004 cmi.comments_from_learner', () => {
  it('appends records and validates their fields', () => {
    const api = started();
    setOk(api, 'cmi.comments_from_learner.0.comment', '{lang=en}Nice');
    setOk(api, 'cmi.comments_from_learner.0.location', 'p1');
    setOk(api, 'cmi.comments_from_learner.0.timestamp', '2026-01-01T00:00:00');
    setFails(api, 'cmi.comments_from_learner.0.timestamp', '2026-13-01', '406');
    setFails(api, 'cmi.comments_from_learner.2.comment', 'x', '351');
    setOk(api, 'cmi.comments_from_learner.1.location', 'p2');
    getFails(api, 'cmi.comments_from_learner.1.comment', '403');
    expect(api.GetValue('cmi.comments_from_learner._count')).toBe('2');
  });
});

describe('SCORM 2004 adl.data', () => {
  const launch = {
    sharedData: [
      { id: 'urn:store:a', store: 'hello' },
      { id: 'urn:store:ro', writeSharedData: false, store: 'fixed' },
      { id: 'urn:store:wo', readSharedData: false },
    ],
  };
  it('reads ids and stores, honours read/write permissions', () => {
    const api = started({ launch });
    expect(api.GetValue('adl.data._count')).toBe('3');
    expect(api.GetValue('adl.data.0.id')).toBe('urn:store:a');
    expect(api.GetValue('adl.data.0.store')).toBe('hello');
    setOk(api, 'adl.data.0.store', 'bye');
    expect(api.GetValue('adl.data.0.store')).toBe('bye');
    setFails(api, 'adl.data.0.id', 'x', '404');
    setFails(api, 'adl.data.1.store', 'x', '404');
    expect(api.GetValue('adl.data.1.store')).toBe('fixed');
    setOk(api, 'adl.data.2.store', 'secret');
    getFails(api, 'adl.data.2.store', '405');
    setFails(api, 'adl.data.3.store', 'x', '351');
    getFails(api, 'adl.data.3.id', '301');
  });

  it('reports 403 for a store nobody wrote', () => {
    const api = started({ launch: { sharedData: [{ id: 'urn:s' }] } });
    getFails(api, 'adl.data.0.store', '403');
  });
});

describe('SCORM 2004 tolerance', () => {
  const long = 'x'.repeat(64001);
  it('keeps an SPM-exceeding value by default and records a diagnostic', () => {
    const api = started();
    setOk(api, 'cmi.suspend_data', long);
    expect(api.Commit('')).toBe('true');
    setOk(api, 'cmi.suspend_data', long + 'y');
    expect(api.GetValue('cmi.suspend_data')).toBe(long + 'y');
    const diagnostics = api.getState().diagnostics;
    expect(diagnostics).toEqual([
      { code: 'SPM_EXCEEDED', element: 'cmi.suspend_data', length: 64002, count: 2 },
    ]);
    // a value replaced before the next commit leaves no trace: the commit never carries it
    setOk(api, 'cmi.location', 'l'.repeat(1001));
    setOk(api, 'cmi.location', 'short');
    expect(api.Commit('')).toBe('true');
    expect(api.getState().diagnostics.map((d) => d.element)).toEqual(['cmi.suspend_data']);
  });

  it('keeps identifiers with spaces by default (not malformed URNs), refuses them in strict mode', () => {
    const api = started();
    setOk(api, 'cmi.interactions.0.id', 'Question 1');
    setFails(api, 'cmi.interactions.1.id', 'urn:x y', '406');
    expect(api.getState().diagnostics).toEqual([
      { code: 'IDENTIFIER_LENIENT', element: 'cmi.interactions.0.id', length: 10, count: 1 },
    ]);
    setFails(started({ strict: true }), 'cmi.interactions.0.id', 'Question 1', '406');
  });

  it('refuses it with 351 in strict mode', () => {
    const api = started({ strict: true });
    setFails(api, 'cmi.suspend_data', long, '351');
    setFails(api, 'cmi.location', 'l'.repeat(1001), '351');
    getFails(api, 'cmi.suspend_data', '403');
    expect(api.getState().diagnostics).toEqual([]);
  });
});
