import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceDir } from './corpus.js';
import {
  decodeCommand,
  decodeTestCase,
  familyOf,
  javaSplit,
  parseDictionary,
  resolvePlaceholder,
} from './decode.js';

// A hand-written subset of the suite's abbreviation dictionary, in its syntax.
const DICT = parseDictionary(
  [
    '## API Methods',
    'I=doInitialize',
    'T=doTerminate',
    'C=doCommit',
    'GET=doGetValue',
    'SET=doSetValue',
    'GES=doGetErrorString',
    'GLE=doGetLastError',
    'GeDi=doGetDiagnostic',
    'COI=compareObjIds',
    'a=adl',
    'c=cmi',
    'CNT=_count',
    'LOC=location',
    'X=exit',
    'E=entry',
    'INTR=interactions',
    'OB=objectives',
    'CR=correct_responses',
    'P=pattern',
    'LR=learner_response',
    'ID=id',
    'D=description',
    'S=score',
    'SCA=scaled',
    'SS=success_status',
    'LI=learner_id',
    'LN=learner_name',
    'DA=data',
    'STR=store',
    'n=nav',
    'r=request',
    'rv=request_valid',
    'tar={target=%s}',
    'TY.c=choice',
    'TY.m=matching',
    'M.n=normal',
    'E.r=resume',
    'N.c=continue',
    'fail=failed',
    'es=',
    't=true',
    'f=false',
  ].join('\n'),
);

describe('parseDictionary', () => {
  it('reads key=value lines, skips comments and keeps empty values', () => {
    expect(DICT.get('X')).toBe('exit');
    expect(DICT.get('es')).toBe('');
    expect(DICT.get('tar')).toBe('{target=%s}');
    expect(DICT.has('## API Methods')).toBe(false);
  });

  it('joins continuation lines and decodes escapes like java.util.Properties', () => {
    const d = parseDictionary('a=one \\\n   two\nb=\\u0041\\tz\nc : colon');
    expect(d.get('a')).toBe('one two');
    expect(d.get('b')).toBe('A\tz');
    expect(d.get('c')).toBe('colon');
  });
});

describe('javaSplit', () => {
  it('drops trailing empty strings as String.split does', () => {
    expect(javaSplit('GET->c~SD->->403', '->')).toEqual(['GET', 'c~SD', '', '403']);
    expect(javaSplit('T->->->', '->')).toEqual(['T']);
    expect(javaSplit('', '->')).toEqual(['']);
  });
});

describe('decodeCommand', () => {
  it('expands a SetValue with element and vocabulary value', () => {
    expect(decodeCommand(DICT, 'SET->c~X!M.n->t->0')).toMatchObject({
      method: 'SetValue',
      args: ['cmi.exit', 'normal'],
      expectedResult: 'true',
      expectedErrorCode: '0',
    });
  });

  it('keeps literal values that are not abbreviations and an empty value after "!"', () => {
    expect(decodeCommand(DICT, 'SET->c~LOC!test->f->132').args).toEqual(['cmi.location', 'test']);
    expect(decodeCommand(DICT, 'SET->c~X!->t->0').args).toEqual(['cmi.exit', '']);
    // A value holding "!" is cut at the first "!" only, as the test SCO does.
    expect(decodeCommand(DICT, 'SET->c~LOC!a!b->t->0').args).toEqual(['cmi.location', 'a!b']);
  });

  it('expands a SetValue without an element into an empty element name', () => {
    expect(decodeCommand(DICT, 'SET->!test->f->351')).toMatchObject({
      args: ['', 'test'],
      expectedResult: 'false',
      expectedErrorCode: '351',
    });
  });

  it('expands indexed elements without touching the index', () => {
    expect(decodeCommand(DICT, 'SET->c~OB~0~ID!obj1->t->0').args).toEqual(['cmi.objectives.0.id', 'obj1']);
    expect(decodeCommand(DICT, 'SET->c~OB~1~S~SCA!0.5->t->0').args).toEqual([
      'cmi.objectives.1.score.scaled',
      '0.5',
    ]);
    expect(decodeCommand(DICT, 'SET->c~INTR~2~CR~0~P!a[,]b->t->0').args).toEqual([
      'cmi.interactions.2.correct_responses.0.pattern',
      'a[,]b',
    ]);
  });

  it('builds navigation requests with a target', () => {
    expect(decodeCommand(DICT, 'SET->a~n~r!tar~activity_1~TY.c->t->0').args).toEqual([
      'adl.nav.request',
      '{target=activity_1}choice',
    ]);
    expect(decodeCommand(DICT, 'SET->a~n~r!N.c->t->0').args).toEqual(['adl.nav.request', 'continue']);
    expect(decodeCommand(DICT, 'GET->a~n~rv~TY.c~tar~activity_2->t->0').args).toEqual([
      'adl.nav.request_valid.choice.{target=activity_2}',
    ]);
  });

  it('expands GetValue results, the empty expectation and "don\'t know" errors', () => {
    expect(decodeCommand(DICT, 'GET->c~E->E.r->0')).toMatchObject({
      method: 'GetValue',
      args: ['cmi.entry'],
      expectedResult: 'resume',
      expectedErrorCode: '0',
    });
    expect(decodeCommand(DICT, 'GET->c~LOC->->122')).toMatchObject({
      expectedResult: '',
      expectedErrorCode: '122',
    });
    expect(decodeCommand(DICT, 'GET->c~OB~0~SS->fail->0').expectedResult).toBe('failed');
    expect(decodeCommand(DICT, 'GET->c~S~SCA->0.49->0').expectedResult).toBe('0.49');
  });

  it('takes the interaction type of a response pattern from "!TY.x"', () => {
    const c = decodeCommand(DICT, 'GET->c~INTR~6~CR~1~P!TY.m->a[.]b->0');
    expect(c.args).toEqual(['cmi.interactions.6.correct_responses.1.pattern']);
    expect(c.expectedType).toBe('matching');
    expect(c.expectedResult).toBe('a[.]b');
  });

  it('marks learner id and name expectations', () => {
    expect(decodeCommand(DICT, 'GET->c~LI->x->0').expectedLearner).toBe('learner_id');
    expect(decodeCommand(DICT, 'GET->c~LN->x->0').expectedLearner).toBe('learner_name');
  });

  it('keeps GetErrorString / GetDiagnostic / GetLastError expectations literal', () => {
    expect(decodeCommand(DICT, 'GES->0->less255->0')).toMatchObject({
      method: 'GetErrorString',
      args: ['0'],
      expectedResult: 'less255',
    });
    expect(decodeCommand(DICT, 'GeDi->->emptyCS->201')).toMatchObject({
      method: 'GetDiagnostic',
      args: [''],
    });
    expect(decodeCommand(DICT, 'GLE->->201->201')).toMatchObject({
      method: 'GetLastError',
      expectedResult: '201',
      expectedErrorCode: '201',
    });
  });

  it('decodes Initialize / Commit with and without a parameter', () => {
    expect(decodeCommand(DICT, 'I->->t->0')).toMatchObject({
      method: 'Initialize',
      args: [''],
      expectedResult: 'true',
    });
    expect(decodeCommand(DICT, 'I->illegal->f->201')).toMatchObject({
      args: ['illegal'],
      expectedResult: 'false',
    });
    expect(decodeCommand(DICT, 'C->->f->142')).toMatchObject({ method: 'Commit', expectedErrorCode: '142' });
  });

  it('decodes the objective-id comparison', () => {
    expect(decodeCommand(DICT, 'COI->obj1,obj2->->')).toMatchObject({
      method: 'CompareObjectiveIds',
      objectiveIds: ['obj1', 'obj2'],
    });
  });

  it('leaves &id& placeholders for the runner and recognises their collection', () => {
    const c = decodeCommand(DICT, 'SET->a~DA~&tarID_1&~STR!hello->t->0');
    expect(c.args).toEqual(['adl.data.&tarID_1&.store', 'hello']);
    expect(resolvePlaceholder(c.args[0] ?? '')).toEqual({
      prefix: 'adl.data.',
      id: 'tarID_1',
      suffix: '.store',
      collection: 'data',
    });
    expect(resolvePlaceholder('cmi.objectives.&obj1&.success_status')?.collection).toBe('objectives');
    expect(resolvePlaceholder('cmi.location')).toBeNull();
  });
});

describe('decodeTestCase', () => {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', 'sample.properties'), 'utf8');
  const tc = decodeTestCase(DICT, 'SAMPLE', text);

  it('groups consecutive ActNVm keys into visits in file order', () => {
    expect(tc.title).toBe('SAMPLE');
    expect(tc.instructions.TT).toBe('autoTT');
    expect(tc.visits.map((v) => [v.key, v.activity, v.visit])).toEqual([
      ['Act1V1', '1', 1],
      ['Act2V1', '2', 1],
      ['Act1V2', '1', 2],
    ]);
    expect(tc.visits[0]?.uiQuestions).toBe('continue.disabled');
    expect(tc.visits[0]?.userInstructions).toBe('Exit');
  });

  it('joins backslash continuations verbatim and decodes \\u escapes', () => {
    const cmds = tc.visits[0]?.commands ?? [];
    expect(cmds[1]?.args).toEqual(['cmi.location', 'firstsecond']);
    expect(cmds[2]?.args).toEqual(['cmi.interactions.0.description', '{lang=deu}Wi']);
  });

  it('ignores a command without a known method, as the suite parser does', () => {
    expect(tc.visits[0]?.commands).toHaveLength(3);
    expect(tc.ignored).toHaveLength(1);
    expect(tc.errors).toEqual([]);
  });

  it('names families by prefix', () => {
    expect(familyOf('CM-07a')).toBe('CM');
    expect(familyOf('DMB')).toBe('DMB');
    expect(familyOf('T-01a')).toBe('T');
  });
});

const dir = conformanceDir();
describe.skipIf(!existsSync(join(dir, 'scorm2004-cts', 'Commands.properties')))('real corpus', () => {
  const cts = join(dir, 'scorm2004-cts');
  const dict = () => parseDictionary(readFileSync(join(cts, 'Commands.properties'), 'latin1'));

  it('decodes the API script as hand-checked', () => {
    const tc = decodeTestCase(
      dict(),
      'API',
      readFileSync(join(cts, 'TestCases', 'API.properties'), 'latin1'),
    );
    expect(tc.visits.map((v) => v.key)).toEqual(['Act1V1', 'Act2V1', 'Act3V1']);
    const a3 = tc.visits[2]?.commands ?? [];
    expect(a3).toHaveLength(29);
    expect(a3[6]).toMatchObject({
      method: 'SetValue',
      args: ['cmi.location', 'test'],
      expectedResult: 'false',
      expectedErrorCode: '132',
    });
    expect(a3[12]).toMatchObject({ method: 'GetErrorString', args: [''], expectedResult: 'emptyCS' });
  });

  it('decodes CM-01 manifest-driven expectations', () => {
    const tc = decodeTestCase(
      dict(),
      'CM-01',
      readFileSync(join(cts, 'TestCases', 'CM-01.properties'), 'latin1'),
    );
    expect(tc.visits[0]?.commands[1]).toMatchObject({
      args: ['cmi.max_time_allowed'],
      expectedResult: 'P5Y6M4DT12H30M58S',
    });
    expect(tc.visits[0]?.commands[2]?.args).toEqual(['adl.nav.request', 'continue']);
  });
});
