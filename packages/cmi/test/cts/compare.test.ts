import { describe, expect, it } from 'vitest';
import { durationKey, judge, typedEqual } from './compare.js';
import type { CtsCommand } from './decode.js';

function cmd(partial: Partial<CtsCommand>): CtsCommand {
  return {
    index: 0,
    source: '',
    method: 'GetValue',
    args: [''],
    expectedResult: '',
    expectedErrorCode: '0',
    ...partial,
  };
}

describe('typedEqual', () => {
  it('compares durations by length, not spelling', () => {
    expect(typedEqual('cmi.total_time', 'PT1M', 'PT0H1M0S')).toBe(true);
    expect(typedEqual('cmi.total_time', 'PT2H20S', 'PT1H60M20.00S')).toBe(true);
    expect(typedEqual('cmi.total_time', 'PT1M', 'PT1M1S')).toBe(false);
    expect(typedEqual('cmi.interactions.3.latency', 'PT3M', 'PT180S')).toBe(true);
    expect(durationKey('P')).toBeNull();
    expect(durationKey('PT')).toBeNull();
  });

  it('compares reals numerically', () => {
    expect(typedEqual('cmi.score.scaled', '0.5', '0.50')).toBe(true);
    expect(typedEqual('cmi.objectives.2.score.raw', '1', '1.0000001')).toBe(false);
    expect(typedEqual('cmi.completion_threshold', '1.0', '1')).toBe(true);
  });

  it('compares _children as a set of names', () => {
    expect(typedEqual('cmi.learner_preference._children', 'a,b,c', 'c,a,b')).toBe(true);
    expect(typedEqual('cmi.learner_preference._children', 'a,b,c', 'a,b')).toBe(false);
    expect(typedEqual('cmi.learner_preference._children', 'a,b,c', 'a,a,b')).toBe(false);
  });

  it('treats a missing lang delimiter as en and ignores delimiter order', () => {
    expect(typedEqual('cmi.interactions.0.description', 'hello', '{lang=en}hello')).toBe(true);
    expect(typedEqual('cmi.interactions.0.description', 'hello', '{lang=fr}hello')).toBe(false);
    const lf = 'cmi.interactions.4.correct_responses.0.pattern';
    expect(
      typedEqual(lf, '{case_matters=true}{lang=eng}Abc', '{lang=eng}{case_matters=true}Abc', 'long-fill-in'),
    ).toBe(true);
    expect(typedEqual(lf, '{lang=en-US}abc', '{lang=en-US}{case_matters=false}ABC', 'long-fill-in')).toBe(
      true,
    );
    expect(typedEqual(lf, '{case_matters=true}abc', 'ABC', 'long-fill-in')).toBe(false);
    expect(typedEqual('cmi.interactions.4.learner_response', '', '{lang=en}', 'long-fill-in')).toBe(true);
  });

  it('compares choice responses as sets and sequencing in order', () => {
    const lr = 'cmi.interactions.1.learner_response';
    expect(typedEqual(lr, 'a[,]b', 'b[,]a', 'choice')).toBe(true);
    expect(typedEqual(lr, 'a[,]b', 'a', 'choice')).toBe(false);
    expect(typedEqual(lr, 'a[,]b', 'b[,]a', 'sequencing')).toBe(false);
  });

  it('honours order_matters and case_matters for fill-in', () => {
    const p = 'cmi.interactions.2.correct_responses.0.pattern';
    expect(typedEqual(p, '{order_matters=false}x[,]y', '{order_matters=false}y[,]x', 'fill-in')).toBe(true);
    expect(typedEqual(p, 'x[,]y', 'y[,]x', 'fill-in')).toBe(false);
    expect(typedEqual(p, 'Abc', 'abc', 'fill-in')).toBe(true);
    expect(typedEqual(p, '{case_matters=true}Abc', '{case_matters=true}abc', 'fill-in')).toBe(false);
  });

  it('compares numeric ranges bound by bound', () => {
    const p = 'cmi.interactions.9.correct_responses.0.pattern';
    expect(typedEqual(p, '1[:]2', '1.0[:]2.00', 'numeric')).toBe(true);
    expect(typedEqual(p, '[:]2', '[:]2', 'numeric')).toBe(true);
    expect(typedEqual(p, '1[:]2', '1[:]3', 'numeric')).toBe(false);
  });
});

describe('judge', () => {
  it('checks value and error code of a SetValue exactly', () => {
    const c = cmd({
      method: 'SetValue',
      args: ['cmi.exit', 'x'],
      expectedResult: 'false',
      expectedErrorCode: '406',
    });
    expect(judge(c, 'cmi.exit', 'false', { value: 'false', errorCode: '406' }).ok).toBe(true);
    const bad = judge(c, 'cmi.exit', 'false', { value: 'false', errorCode: '351' });
    expect(bad.ok).toBe(false);
    expect(bad.reason).toContain('expected 406, got 351');
  });

  it('accepts any text shorter than 255 characters for GetErrorString("less255")', () => {
    const c = cmd({ method: 'GetErrorString', args: ['0'], expectedResult: 'less255' });
    expect(judge(c, '0', 'less255', { value: 'No error', errorCode: '0' }).ok).toBe(true);
    expect(judge(c, '0', 'less255', { value: 'x'.repeat(255), errorCode: '0' }).ok).toBe(false);
    const empty = cmd({ method: 'GetErrorString', args: ['1444'], expectedResult: 'emptyCS' });
    expect(judge(empty, '1444', 'emptyCS', { value: '', errorCode: '0' }).ok).toBe(true);
    expect(judge(empty, '1444', 'emptyCS', { value: 'Unknown', errorCode: '0' }).ok).toBe(false);
  });

  it('accepts true, false or unknown for request_valid, whatever the script expects', () => {
    const c = cmd({ args: ['adl.nav.request_valid.continue'], expectedResult: 'true' });
    expect(judge(c, 'adl.nav.request_valid.continue', 'true', { value: 'unknown', errorCode: '0' }).ok).toBe(
      true,
    );
    expect(judge(c, 'adl.nav.request_valid.continue', 'true', { value: 'maybe', errorCode: '0' }).ok).toBe(
      false,
    );
  });

  it('checks only the error code for learner_name', () => {
    const c = cmd({ args: ['cmi.learner_name'], expectedResult: 'Someone' });
    expect(judge(c, 'cmi.learner_name', 'Someone', { value: 'Other', errorCode: '0' }).ok).toBe(true);
    expect(judge(c, 'cmi.learner_name', 'Someone', { value: 'Other', errorCode: '403' }).ok).toBe(false);
  });

  it('compares _count exactly and fails unresolved placeholders', () => {
    const c = cmd({ args: ['cmi.objectives._count'], expectedResult: '2' });
    expect(judge(c, 'cmi.objectives._count', '2', { value: '2', errorCode: '0' }).ok).toBe(true);
    expect(judge(c, 'cmi.objectives._count', '2', { value: '02', errorCode: '0' }).ok).toBe(false);
    const p = cmd({ args: ['cmi.objectives.&obj1&.id'] });
    expect(
      judge(p, 'cmi.objectives.&obj1&.id', '', { value: '', errorCode: '', unresolved: 'obj1' }).ok,
    ).toBe(false);
  });

  it('compares the objective ids the LMS created from the manifest', () => {
    const c = cmd({ method: 'CompareObjectiveIds', objectiveIds: ['a', 'b'] });
    expect(judge(c, '', '', { value: '', errorCode: '', objectiveIds: ['b', 'a'] }).ok).toBe(true);
    expect(judge(c, '', '', { value: '', errorCode: '', objectiveIds: ['a'] }).ok).toBe(false);
    expect(judge(c, '', '', { value: '', errorCode: '', objectiveIds: ['a', 'c'] }).ok).toBe(false);
  });
});
