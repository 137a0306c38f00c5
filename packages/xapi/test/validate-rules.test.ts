/**
 * One case per statement-validity requirement of the ADL LRS Conformance Test Suite (1.0.3),
 * with valid and invalid values taken from the Data document and the suite's templates. Each
 * invalid case asserts the exact rule codes and paths reported, and the requirement id of the
 * first issue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateStatement } from '../src/validate.js';

type Obj = Record<string, unknown>;
const FIXTURES = join(import.meta.dirname, 'fixtures', 'statements');
const load = (name: string): Obj => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Obj;

const simple = () => load('simple.json');
const long = () => load('long.json');
const sub = () => load('substatement.json');
const attachment = () => load('attachment.json');
const agent = { objectType: 'Agent', mbox: 'mailto:xapi@adlnet.gov' };
const ref = { objectType: 'StatementRef', id: '9e13cefd-53d3-4eac-b5ed-2cf6693903bb' };
const VALID_ATTACHMENT = (attachment().attachments as Obj[])[0] as Obj;

/** Sets `value` at a dotted path (numeric segments index arrays); `undefined` deletes. */
function set(o: Obj, path: string, value: unknown): Obj {
  const keys = path.split('.');
  let cur: Obj = o;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === undefined) cur[k] = {};
    cur = cur[k] as Obj;
  }
  const last = keys.at(-1) ?? '';
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return o;
}

function issues(value: unknown): [string, string][] {
  const r = validateStatement(value);
  return r.ok ? [] : r.errors.map((e) => [e.rule, e.path]);
}
function firstRequirement(value: unknown): string | undefined {
  const r = validateStatement(value);
  return r.ok ? undefined : r.errors[0]?.requirement;
}

interface Invalid {
  req: string;
  title: string;
  statement: Obj;
  expect: [string, string][];
}

const invalid: Invalid[] = [
  {
    req: 'XAPI-00001',
    title: 'a property set to null',
    statement: set(simple(), 'actor.name', null),
    expect: [['NULL_VALUE', 'actor.name']],
  },
  {
    req: 'XAPI-00001',
    title: 'null in a language map',
    statement: set(simple(), 'verb.display', { 'en-US': null }),
    expect: [['NULL_VALUE', "verb.display['en-US']"]],
  },
  {
    req: 'XAPI-00001',
    title: 'an empty result object',
    statement: set(simple(), 'result', {}),
    expect: [['EMPTY_OBJECT', 'result']],
  },
  {
    req: 'XAPI-00003',
    title: 'no actor',
    statement: set(simple(), 'actor', undefined),
    expect: [['MISSING_PROPERTY', 'actor']],
  },
  {
    req: 'XAPI-00004',
    title: 'no verb',
    statement: set(simple(), 'verb', undefined),
    expect: [['MISSING_PROPERTY', 'verb']],
  },
  {
    req: 'XAPI-00005',
    title: 'no object',
    statement: set(simple(), 'object', undefined),
    expect: [['MISSING_PROPERTY', 'object']],
  },
  {
    req: 'XAPI-00080',
    title: 'a string where a number is required, even one holding a number (wrong data type, XAPI-00006)',
    statement: set(long(), 'result.score', { max: '100' }),
    expect: [['WRONG_TYPE', 'result.score.max']],
  },
  {
    req: 'XAPI-00074',
    title: 'result.success as the string "true"',
    statement: set(long(), 'result.success', 'true'),
    expect: [['WRONG_TYPE', 'result.success']],
  },
  {
    req: 'XAPI-00075',
    title: 'result.completion as the string "false"',
    statement: set(long(), 'result.completion', 'false'),
    expect: [['WRONG_TYPE', 'result.completion']],
  },
  {
    req: 'XAPI-00076',
    title: 'result.response as a number',
    statement: set(long(), 'result.response', 12345),
    expect: [['WRONG_TYPE', 'result.response']],
  },
  {
    req: 'XAPI-00077',
    title: 'result.duration not ISO 8601',
    statement: set(long(), 'result.duration', 'PA1H0M0S'),
    expect: [['INVALID_DURATION', 'result.duration']],
  },
  {
    req: 'XAPI-00078',
    title: 'result.extensions as a string (wrong data type, XAPI-00006)',
    statement: set(long(), 'result.extensions', 'should fail'),
    expect: [['WRONG_TYPE', 'result.extensions']],
  },
  {
    req: 'XAPI-00027',
    title: 'an id UUID with too many digits',
    statement: set(simple(), 'id', 'AA97B177-9383-4934-8543-0F91A7A028368'),
    expect: [['INVALID_UUID', 'id']],
  },
  {
    req: 'XAPI-00027',
    title: 'an id UUID with a letter beyond F',
    statement: set(simple(), 'id', 'MA97B177-9383-4934-8543-0F91A7A02836'),
    expect: [['INVALID_UUID', 'id']],
  },
  {
    req: 'XAPI-00028',
    title: 'an id that is a number (wrong data type, XAPI-00006)',
    statement: set(simple(), 'id', 12345),
    expect: [['WRONG_TYPE', 'id']],
  },
  {
    req: 'XAPI-00008',
    title: 'a key in the wrong case',
    statement: set(set(simple(), 'veRb', simple().verb), 'verb', undefined),
    expect: [
      ['UNKNOWN_PROPERTY', 'veRb'],
      ['MISSING_PROPERTY', 'verb'],
    ],
  },
  {
    req: 'XAPI-00009',
    title: 'an interactionType in the wrong case',
    statement: set(simple(), 'object.definition', { interactionType: 'choiCe' }),
    expect: [['INVALID_INTERACTION_TYPE', 'object.definition.interactionType']],
  },
  {
    req: 'XAPI-00009',
    title: 'an objectType in the wrong case',
    statement: set(sub(), 'object.objectType', 'substatement'),
    expect: [['INVALID_OBJECT_TYPE', 'object.objectType']],
  },
  {
    req: 'XAPI-00010',
    title: 'a property the specification does not define',
    statement: set(simple(), 'result', { completion: true, grade: 'A' }),
    expect: [['UNKNOWN_PROPERTY', 'result.grade']],
  },
  {
    req: 'XAPI-00044',
    title: 'a verb id without a valid scheme',
    statement: set(simple(), 'verb.id', 'ab=c://should.fail.com'),
    expect: [['INVALID_IRI', 'verb.id']],
  },
  {
    req: 'XAPI-00044',
    title: 'a verb without id',
    statement: set(simple(), 'verb', { display: { 'en-US': 'sent' } }),
    expect: [['MISSING_PROPERTY', 'verb.id']],
  },
  {
    req: 'XAPI-00121',
    title: 'a language map key with two region subtags',
    statement: set(simple(), 'verb.display', { 'de-419-DE': 'besucht' }),
    expect: [['INVALID_LANGUAGE_TAG', "verb.display['de-419-DE']"]],
  },
  {
    req: 'XAPI-00121',
    title: 'a language map key with a single-letter primary subtag',
    statement: set(simple(), 'object.definition.name', { 'a-DE': 'x' }),
    expect: [['INVALID_LANGUAGE_TAG', "object.definition.name['a-DE']"]],
  },
  {
    req: 'XAPI-00121',
    title: 'a language map key repeating an extension singleton',
    statement: set(simple(), 'object.definition.description', { 'ar-a-aaa-b-bbb-a-ccc': 'x' }),
    expect: [['INVALID_LANGUAGE_TAG', "object.definition.description['ar-a-aaa-b-bbb-a-ccc']"]],
  },
  {
    req: 'XAPI-00121',
    title: 'an empty language map',
    statement: set(simple(), 'verb.display', {}),
    expect: [['EMPTY_OBJECT', 'verb.display']],
  },
  {
    req: 'XAPI-00045',
    title: 'a verb display that is a string',
    statement: set(simple(), 'verb.display', 'should error'),
    expect: [['WRONG_TYPE', 'verb.display']],
  },
  {
    req: 'XAPI-00017',
    title: 'a voiding statement whose object is an Activity',
    statement: set(simple(), 'verb', { id: 'http://adlnet.gov/expapi/verbs/voided' }),
    expect: [['VOIDING_OBJECT_NOT_STATEMENTREF', 'object']],
  },
  {
    req: 'XAPI-00022',
    title: 'a timestamp that is not a date',
    statement: set(simple(), 'timestamp', '01/011/2015'),
    expect: [['INVALID_TIMESTAMP', 'timestamp']],
  },
  {
    req: 'XAPI-00022',
    title: 'a timestamp with the -00:00 offset',
    statement: set(simple(), 'timestamp', '2008-09-15T15:53:00.601-00:00'),
    expect: [['INVALID_TIMESTAMP', 'timestamp']],
  },
  {
    req: 'XAPI-00022',
    title: 'a timestamp with the -0000 offset',
    statement: set(simple(), 'timestamp', '2008-09-15T15:53:00.601-0000'),
    expect: [['INVALID_TIMESTAMP', 'timestamp']],
  },
  {
    req: 'XAPI-00022',
    title: 'a timestamp with the -00 offset',
    statement: set(simple(), 'timestamp', '2008-09-15T15:53:00.601-00'),
    expect: [['INVALID_TIMESTAMP', 'timestamp']],
  },
  {
    req: 'XAPI-00022',
    title: 'a timestamp on 30 February',
    statement: set(simple(), 'timestamp', '2015-02-30T12:00:00Z'),
    expect: [['INVALID_TIMESTAMP', 'timestamp']],
  },
  {
    req: 'XAPI-00023',
    title: 'a stored value that is not a timestamp',
    statement: set(simple(), 'stored', 'yesterday'),
    expect: [['INVALID_TIMESTAMP', 'stored']],
  },
  {
    req: 'XAPI-00031',
    title: 'an actor whose objectType is Activity',
    statement: set(simple(), 'actor.objectType', 'Activity'),
    expect: [['INVALID_OBJECT_TYPE', 'actor.objectType']],
  },
  {
    req: 'XAPI-00032',
    title: 'an actor objectType that is a number',
    statement: set(simple(), 'actor.objectType', 123),
    expect: [['INVALID_OBJECT_TYPE', 'actor.objectType']],
  },
  {
    req: 'XAPI-00033',
    title: 'an agent name that is an object (wrong data type, XAPI-00006)',
    statement: set(simple(), 'actor.name', { key: 'value' }),
    expect: [['WRONG_TYPE', 'actor.name']],
  },
  {
    req: 'XAPI-00034',
    title: 'an agent without an inverse functional identifier',
    statement: set(simple(), 'actor', { objectType: 'Agent', name: 'x' }),
    expect: [['IFI_COUNT', 'actor']],
  },
  {
    req: 'XAPI-00034',
    title: 'an agent with two inverse functional identifiers',
    statement: set(simple(), 'actor.openid', 'http://openid.example.org/12345'),
    expect: [['IFI_COUNT', 'actor']],
  },
  {
    req: 'XAPI-00035',
    title: 'a member property on an Agent',
    statement: set(simple(), 'actor.member', [agent]),
    expect: [['UNKNOWN_PROPERTY', 'actor.member']],
  },
  {
    req: 'XAPI-00036',
    title: 'a Group as a Group member',
    statement: set(long(), 'actor.member', [{ objectType: 'Group', member: [agent] }]),
    expect: [['GROUP_MEMBER_NOT_AGENT', 'actor.member[0]']],
  },
  {
    req: 'XAPI-00036',
    title: 'a member that is not an array',
    statement: set(long(), 'actor.member', agent),
    expect: [['WRONG_TYPE', 'actor.member']],
  },
  {
    req: 'XAPI-00037',
    title: 'an anonymous Group without members',
    statement: set(simple(), 'actor', { objectType: 'Group', name: 'no one' }),
    expect: [['GROUP_MEMBER_REQUIRED', 'actor.member']],
  },
  {
    req: 'XAPI-00037',
    title: 'a Group with two inverse functional identifiers',
    statement: set(long(), 'actor.openid', 'http://openid.example.org/team'),
    expect: [['IFI_COUNT', 'actor']],
  },
  {
    req: 'XAPI-00038',
    title: 'an mbox that is not a mailto IRI',
    statement: set(simple(), 'actor.mbox', 'http://should.fail.com'),
    expect: [['INVALID_MBOX', 'actor.mbox']],
  },
  {
    req: 'XAPI-00038',
    title: 'a mailto IRI without an address',
    statement: set(simple(), 'actor.mbox', 'mailto:should.fail.com'),
    expect: [['INVALID_MBOX', 'actor.mbox']],
  },
  {
    req: 'XAPI-00039',
    title: 'an mbox_sha1sum that is an object',
    statement: set(simple(), 'actor', { mbox_sha1sum: { key: 'x' } }),
    expect: [['WRONG_TYPE', 'actor.mbox_sha1sum']],
  },
  {
    req: 'XAPI-00039',
    title: 'an mbox_sha1sum that is not 40 hex digits',
    statement: set(simple(), 'actor', { mbox_sha1sum: 'cd9b00a5611f94eaa7b1661edab976068e36497' }),
    expect: [['INVALID_MBOX_SHA1SUM', 'actor.mbox_sha1sum']],
  },
  {
    req: 'XAPI-00040',
    title: 'an openid that is not a URI',
    statement: set(simple(), 'actor', { openid: 'ab=c://should.fail.com' }),
    expect: [['INVALID_IRI', 'actor.openid']],
  },
  {
    req: 'XAPI-00042',
    title: 'an account homePage that is not an IRL',
    statement: set(simple(), 'actor', { account: { homePage: 'ab=c://should.fail.com', name: 'x' } }),
    expect: [['INVALID_IRI', 'actor.account.homePage']],
  },
  {
    req: 'XAPI-00042',
    title: 'an account without homePage',
    statement: set(simple(), 'context.instructor', { account: { name: 'x' } }),
    expect: [['MISSING_PROPERTY', 'context.instructor.account.homePage']],
  },
  {
    req: 'XAPI-00043',
    title: 'an account name that is an object',
    statement: set(simple(), 'authority', {
      account: { homePage: 'http://example.com', name: { key: 'x' } },
    }),
    expect: [['WRONG_TYPE', 'authority.account.name']],
  },
  {
    req: 'XAPI-00046',
    title: 'an object objectType the specification does not define',
    statement: set(simple(), 'object.objectType', 'Person'),
    expect: [['INVALID_OBJECT_TYPE', 'object.objectType']],
  },
  {
    req: 'XAPI-00047',
    title: 'an Activity without id',
    statement: set(simple(), 'object.id', undefined),
    expect: [['MISSING_PROPERTY', 'object.id']],
  },
  {
    req: 'XAPI-00047',
    title: 'an Activity id that is not an IRI',
    statement: set(simple(), 'object.id', 'ab=c://should.fail.com'),
    expect: [['INVALID_IRI', 'object.id']],
  },
  {
    req: 'XAPI-00048',
    title: 'a definition that is a string',
    statement: set(simple(), 'object.definition', 'should error'),
    expect: [['WRONG_TYPE', 'object.definition']],
  },
  {
    req: 'XAPI-00049',
    title: 'an interactionType that is an IRI',
    statement: set(simple(), 'object.definition.interactionType', 'http://adlnet.gov/choice'),
    expect: [['INVALID_INTERACTION_TYPE', 'object.definition.interactionType']],
  },
  {
    req: 'XAPI-00050',
    title: 'a correctResponsesPattern that is a string (wrong data type, XAPI-00006)',
    statement: set(simple(), 'object.definition', {
      interactionType: 'choice',
      correctResponsesPattern: 'a',
    }),
    expect: [['WRONG_TYPE', 'object.definition.correctResponsesPattern']],
  },
  {
    req: 'XAPI-00055',
    title: 'choices that are not an array (wrong data type, XAPI-00006)',
    statement: set(simple(), 'object.definition', { interactionType: 'choice', choices: { id: 'a' } }),
    expect: [['WRONG_TYPE', 'object.definition.choices']],
  },
  {
    req: 'XAPI-00056',
    title: 'a definition name that is a string',
    statement: set(simple(), 'object.definition.name', 'should error'),
    expect: [['WRONG_TYPE', 'object.definition.name']],
  },
  {
    req: 'XAPI-00118',
    title: 'an extension key that is not an IRI',
    statement: set(simple(), 'object.definition.extensions', { 'should fail': true }),
    expect: [['INVALID_EXTENSION_KEY', "object.definition.extensions['should fail']"]],
  },
  {
    req: 'XAPI-00058',
    title: 'two interaction components with the same id',
    statement: set(simple(), 'object.definition', {
      interactionType: 'choice',
      choices: [{ id: 'a' }, { id: 'a' }],
    }),
    expect: [['DUPLICATE_COMPONENT_ID', 'object.definition.choices[1].id']],
  },
  {
    req: 'XAPI-00058',
    title: 'an interaction component without id',
    statement: set(simple(), 'object.definition', {
      interactionType: 'likert',
      scale: [{ description: { 'en-US': 'ok' } }],
    }),
    expect: [['MISSING_PROPERTY', 'object.definition.scale[0].id']],
  },
  {
    req: 'XAPI-00060',
    title: 'a definition type that is not an IRI',
    statement: set(simple(), 'object.definition.type', 'should error'),
    expect: [['INVALID_IRI', 'object.definition.type']],
  },
  {
    req: 'XAPI-00061',
    title: 'a moreInfo that is not an IRL',
    statement: set(simple(), 'object.definition.moreInfo', 'should error'),
    expect: [['INVALID_IRI', 'object.definition.moreInfo']],
  },
  {
    req: 'XAPI-00121',
    title: 'an interaction component description with an invalid language tag',
    statement: set(simple(), 'object.definition', {
      interactionType: 'choice',
      choices: [{ id: 'a', description: { 'de-419-DE': 'x' } }],
    }),
    expect: [['INVALID_LANGUAGE_TAG', "object.definition.choices[0].description['de-419-DE']"]],
  },
  {
    req: 'XAPI-00063',
    title: 'an interaction component that is not an object (wrong data type, XAPI-00006)',
    statement: set(simple(), 'object.definition', { interactionType: 'sequencing', choices: ['a'] }),
    expect: [['WRONG_TYPE', 'object.definition.choices[0]']],
  },
  {
    req: 'XAPI-00064',
    title: 'a correctResponsesPattern without interactionType',
    statement: set(simple(), 'object.definition.correctResponsesPattern', ['a']),
    expect: [['INTERACTION_TYPE_REQUIRED', 'object.definition.correctResponsesPattern']],
  },
  {
    req: 'XAPI-00065',
    title: 'an Agent object without objectType',
    statement: set(simple(), 'object', { mbox: 'mailto:xapi@adlnet.gov' }),
    expect: [['OBJECT_TYPE_REQUIRED', 'object.objectType']],
  },
  {
    req: 'XAPI-00073',
    title: 'a SubStatement object without objectType',
    statement: set(sub(), 'object.objectType', undefined),
    expect: [['OBJECT_TYPE_REQUIRED', 'object.objectType']],
  },
  {
    req: 'XAPI-00034',
    title: 'an invalid actor inside a SubStatement (XAPI-00066)',
    statement: set(sub(), 'object.actor', { objectType: 'Agent' }),
    expect: [['IFI_COUNT', 'object.actor']],
  },
  {
    req: 'XAPI-00067',
    title: 'a SubStatement with authority',
    statement: set(sub(), 'object.authority', agent),
    expect: [['SUBSTATEMENT_PROPERTY', 'object.authority']],
  },
  {
    req: 'XAPI-00068',
    title: 'a SubStatement with version',
    statement: set(sub(), 'object.version', '1.0.0'),
    expect: [['SUBSTATEMENT_PROPERTY', 'object.version']],
  },
  {
    req: 'XAPI-00069',
    title: 'a SubStatement with stored',
    statement: set(sub(), 'object.stored', '2013-05-18T05:32:34.804Z'),
    expect: [['SUBSTATEMENT_PROPERTY', 'object.stored']],
  },
  {
    req: 'XAPI-00070',
    title: 'a SubStatement with id',
    statement: set(sub(), 'object.id', 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0'),
    expect: [['SUBSTATEMENT_PROPERTY', 'object.id']],
  },
  {
    req: 'XAPI-00071',
    title: 'a SubStatement inside a SubStatement',
    statement: set(sub(), 'object.object', sub().object),
    expect: [['NESTED_SUBSTATEMENT', 'object.object.objectType']],
  },
  {
    req: 'XAPI-00072',
    title: 'a StatementRef id that is not a UUID',
    statement: set(simple(), 'object', { objectType: 'StatementRef', id: 'should fail' }),
    expect: [['INVALID_UUID', 'object.id']],
  },
  {
    req: 'XAPI-00072',
    title: 'a StatementRef without id',
    statement: set(simple(), 'object', { objectType: 'StatementRef' }),
    expect: [['MISSING_PROPERTY', 'object.id']],
  },
  {
    req: 'XAPI-00079',
    title: 'a score that is a number (wrong data type, XAPI-00006)',
    statement: set(long(), 'result.score', 12345),
    expect: [['WRONG_TYPE', 'result.score']],
  },
  {
    req: 'XAPI-00083',
    title: 'score.scaled 1.01',
    statement: set(long(), 'result.score', { scaled: 1.01 }),
    expect: [['SCORE_SCALED_RANGE', 'result.score.scaled']],
  },
  {
    req: 'XAPI-00083',
    title: 'score.scaled -1.00001',
    statement: set(long(), 'result.score', { scaled: -1.00001 }),
    expect: [['SCORE_SCALED_RANGE', 'result.score.scaled']],
  },
  {
    req: 'XAPI-00082',
    title: 'score.raw above max',
    statement: set(long(), 'result.score', { raw: 0.6767676, max: 0.6567676 }),
    expect: [['SCORE_RAW_RANGE', 'result.score.raw']],
  },
  {
    req: 'XAPI-00082',
    title: 'score.raw below min',
    statement: set(long(), 'result.score', { raw: 0.6767676, min: 1.4067676 }),
    expect: [['SCORE_RAW_RANGE', 'result.score.raw']],
  },
  {
    req: 'XAPI-00081',
    title: 'score.min above max',
    statement: set(long(), 'result.score', { min: 100.6767676 + 4, max: 100.6767676 }),
    expect: [['SCORE_MIN_MAX', 'result.score.max']],
  },
  {
    req: 'XAPI-00084',
    title: 'context.revision with an Agent object',
    statement: set(set(simple(), 'object', agent), 'context', { revision: 'rev_10_3_2' }),
    expect: [['CONTEXT_REVISION_NOT_ALLOWED', 'context.revision']],
  },
  {
    req: 'XAPI-00084',
    title: 'context.revision with a StatementRef object',
    statement: set(set(simple(), 'object', ref), 'context', { revision: 'rev_10_3_2' }),
    expect: [['CONTEXT_REVISION_NOT_ALLOWED', 'context.revision']],
  },
  {
    req: 'XAPI-00084',
    title: 'context.revision inside a SubStatement whose object is a Group',
    statement: set(set(sub(), 'object.object', { objectType: 'Group', member: [agent] }), 'object.context', {
      revision: 'r1',
    }),
    expect: [['CONTEXT_REVISION_NOT_ALLOWED', 'object.context.revision']],
  },
  {
    req: 'XAPI-00085',
    title: 'context.platform with a SubStatement object',
    statement: set(sub(), 'context', { platform: 'Example virtual meeting software' }),
    expect: [['CONTEXT_PLATFORM_NOT_ALLOWED', 'context.platform']],
  },
  {
    req: 'XAPI-00086',
    title: 'contextActivities that is a string (wrong data type, XAPI-00006)',
    statement: set(long(), 'context.contextActivities', 'should fail'),
    expect: [['WRONG_TYPE', 'context.contextActivities']],
  },
  {
    req: 'XAPI-00087',
    title: 'a registration that is not a UUID',
    statement: set(long(), 'context.registration', 'should fail'),
    expect: [['INVALID_UUID', 'context.registration']],
  },
  {
    req: 'XAPI-00010',
    title: 'an instructor that is not an Agent',
    statement: set(long(), 'context.instructor', { key: 'should fail' }),
    expect: [
      ['UNKNOWN_PROPERTY', 'context.instructor.key'],
      ['IFI_COUNT', 'context.instructor'],
    ],
  },
  {
    req: 'XAPI-00088',
    title: 'a team that is an Agent',
    statement: set(long(), 'context.team', agent),
    expect: [['CONTEXT_TEAM_NOT_GROUP', 'context.team']],
  },
  {
    req: 'XAPI-00089',
    title: 'a revision that is a number (wrong data type, XAPI-00006)',
    statement: set(long(), 'context.revision', 12345),
    expect: [['WRONG_TYPE', 'context.revision']],
  },
  {
    req: 'XAPI-00090',
    title: 'a platform that is an object (wrong data type, XAPI-00006)',
    statement: set(long(), 'context.platform', { key: 'x' }),
    expect: [['WRONG_TYPE', 'context.platform']],
  },
  {
    req: 'XAPI-00091',
    title: 'a context language that is an object (wrong data type, XAPI-00006)',
    statement: set(long(), 'context.language', { a12345: 'should fail' }),
    expect: [['WRONG_TYPE', 'context.language']],
  },
  {
    req: 'XAPI-00091',
    title: 'a context language that is not a tag at all',
    statement: set(long(), 'context.language', 'en US'),
    expect: [['INVALID_LANGUAGE_TAG', 'context.language']],
  },
  {
    req: 'XAPI-00091',
    title: 'XAPI-00013 a context language that is a word but not an RFC 5646 tag ("something")',
    statement: set(long(), 'context.language', 'something'),
    expect: [['INVALID_LANGUAGE_TAG', 'context.language']],
  },
  {
    req: 'XAPI-00091',
    title: 'XAPI-00013 a context language of 51 characters',
    statement: set(long(), 'context.language', 'supercalifragilisticexpialidociouswhatabouthhhhhhh1'),
    expect: [['INVALID_LANGUAGE_TAG', 'context.language']],
  },
  {
    req: 'XAPI-00091',
    title: 'XAPI-00013 a SubStatement context language that is not an RFC 5646 tag',
    statement: set(sub(), 'object.context', { language: 'something' }),
    expect: [['INVALID_LANGUAGE_TAG', 'object.context.language']],
  },
  {
    req: 'XAPI-00072',
    title: 'a context statement whose id is not a UUID',
    statement: set(long(), 'context.statement', { objectType: 'StatementRef', id: 'should fail' }),
    expect: [['INVALID_UUID', 'context.statement.id']],
  },
  {
    req: 'XAPI-00046',
    title: 'a context statement with objectType statementref',
    statement: set(long(), 'context.statement', { objectType: 'statementref', id: ref.id }),
    expect: [['INVALID_OBJECT_TYPE', 'context.statement.objectType']],
  },
  {
    req: 'XAPI-00093',
    title: 'a contextActivities key other than parent, grouping, category, other',
    statement: set(long(), 'context.contextActivities', { sibling: [{ id: 'http://example.com/a' }] }),
    expect: [['UNKNOWN_PROPERTY', 'context.contextActivities.sibling']],
  },
  {
    req: 'XAPI-00094',
    title: 'a context activity that is an Agent',
    statement: set(long(), 'context.contextActivities', { parent: [agent] }),
    expect: [['INVALID_OBJECT_TYPE', 'context.contextActivities.parent[0].objectType']],
  },
  {
    req: 'XAPI-00095',
    title: 'an empty contextActivities',
    statement: set(long(), 'context.contextActivities', {}),
    expect: [['EMPTY_OBJECT', 'context.contextActivities']],
  },
  {
    req: 'XAPI-00024',
    title: 'an authority that is a string',
    statement: set(simple(), 'authority', 'should fail'),
    expect: [['WRONG_TYPE', 'authority']],
  },
  {
    req: 'XAPI-00098',
    title: 'an authority Group with one member',
    statement: set(simple(), 'authority', { objectType: 'Group', member: [agent] }),
    expect: [['AUTHORITY_GROUP', 'authority']],
  },
  {
    req: 'XAPI-00098',
    title: 'an authority Group with three members',
    statement: set(simple(), 'authority', { objectType: 'Group', member: [agent, agent, agent] }),
    expect: [['AUTHORITY_GROUP', 'authority']],
  },
  {
    req: 'XAPI-00098',
    title: 'an identified authority Group',
    statement: set(simple(), 'authority', {
      objectType: 'Group',
      openid: 'http://openid.example.org/12345',
      member: [agent, { objectType: 'Agent', mbox: 'mailto:b@example.com' }],
    }),
    expect: [['AUTHORITY_GROUP', 'authority']],
  },
  {
    req: 'XAPI-00101',
    title: 'version 0.9.9',
    statement: set(simple(), 'version', '0.9.9'),
    expect: [['INVALID_VERSION', 'version']],
  },
  {
    req: 'XAPI-00101',
    title: 'version 1.1.0',
    statement: set(simple(), 'version', '1.1.0'),
    expect: [['INVALID_VERSION', 'version']],
  },
  {
    req: 'XAPI-00025',
    title: 'attachments that are not an array',
    statement: set(attachment(), 'attachments', VALID_ATTACHMENT),
    expect: [['WRONG_TYPE', 'attachments']],
  },
  {
    req: 'XAPI-00025',
    title: 'an attachment that is a number (wrong data type, XAPI-00006)',
    statement: set(attachment(), 'attachments', [12345]),
    expect: [['WRONG_TYPE', 'attachments[0]']],
  },
  {
    req: 'XAPI-00107',
    title: 'an attachment usageType that is not an IRI',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, usageType: 'should fail' }]),
    expect: [['INVALID_IRI', 'attachments[0].usageType']],
  },
  {
    req: 'XAPI-00105',
    title: 'an attachment contentType that is not a media type',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, contentType: 'should fail' }]),
    expect: [['INVALID_MEDIA_TYPE', 'attachments[0].contentType']],
  },
  {
    req: 'XAPI-00102',
    title: 'an attachment length that is a string',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, length: 'should fail' }]),
    expect: [['INVALID_LENGTH', 'attachments[0].length']],
  },
  {
    req: 'XAPI-00102',
    title: 'an attachment without length',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, length: undefined }]),
    expect: [['MISSING_PROPERTY', 'attachments[0].length']],
  },
  {
    req: 'XAPI-00103',
    title: 'an attachment sha2 that is a number (wrong data type, XAPI-00006)',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, sha2: 12345 }]),
    expect: [['WRONG_TYPE', 'attachments[0].sha2']],
  },
  {
    req: 'XAPI-00104',
    title: 'an attachment fileUrl that is not an IRL',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, fileUrl: 'should fail' }]),
    expect: [['INVALID_IRI', 'attachments[0].fileUrl']],
  },
  {
    req: 'XAPI-00106',
    title: 'an attachment description that is a string (wrong data type, XAPI-00006)',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, description: 'should error' }]),
    expect: [['WRONG_TYPE', 'attachments[0].description']],
  },
  {
    req: 'XAPI-00121',
    title: 'an attachment display with an invalid language tag',
    statement: set(attachment(), 'attachments', [{ ...VALID_ATTACHMENT, display: { 'de-419-DE': 'x' } }]),
    expect: [['INVALID_LANGUAGE_TAG', "attachments[0].display['de-419-DE']"]],
  },
];

describe('validateStatement rejects every invalid statement with the precise rule and path', () => {
  for (const c of invalid) {
    it(`${c.req} rejects ${c.title}`, () => {
      // JSON round trip: `undefined` written by set() must disappear as it would on the wire.
      const value = JSON.parse(JSON.stringify(c.statement)) as unknown;
      expect(issues(value)).toEqual(c.expect);
      expect(firstRequirement(value)).toBe(c.req);
    });
  }
});

interface Valid {
  req: string;
  title: string;
  statement: Obj;
}

const valid: Valid[] = [
  { req: 'XAPI-00003', title: 'the Data document simple statement', statement: simple() },
  { req: 'XAPI-00003', title: 'the Data document long example', statement: long() },
  { req: 'XAPI-00066', title: 'the SubStatement example', statement: sub() },
  { req: 'XAPI-00025', title: 'a statement with an attachment', statement: attachment() },
  {
    req: 'XAPI-00119',
    title: 'null and empty extension values',
    statement: set(simple(), 'result', {
      extensions: { 'http://example.com/null': null, 'http://example.com/e': {}, 'http://example.com/s': '' },
    }),
  },
  {
    req: 'XAPI-00119',
    title: 'empty extensions',
    statement: set(simple(), 'object.definition.extensions', {}),
  },
  {
    req: 'XAPI-00027',
    title: 'an upper-case UUID id',
    statement: set(simple(), 'id', 'FD41C918-B88B-4B20-A0A5-A4C32391AAA0'),
  },
  {
    req: 'XAPI-00030',
    title: 'a non-RFC-4122-variant UUID id',
    statement: set(simple(), 'id', '00000000-0000-0000-0000-000000000000'),
  },
  { req: 'XAPI-00101', title: 'version 1.0', statement: set(simple(), 'version', '1.0') },
  { req: 'XAPI-00101', title: 'version 1.0.9', statement: set(simple(), 'version', '1.0.9') },
  {
    req: 'XAPI-00017',
    title: 'a voiding statement with a StatementRef',
    statement: set(
      set(simple(), 'verb', { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } }),
      'object',
      ref,
    ),
  },
  {
    req: 'XAPI-00098',
    title: 'an OAuth authority Group of two Agents',
    statement: set(simple(), 'authority', {
      objectType: 'Group',
      member: [
        { account: { homePage: 'http://example.com/xAPI/OAuth/Token', name: 'oauth_consumer_x75db' } },
        { mbox: 'mailto:bob@example.com' },
      ],
    }),
  },
  {
    req: 'XAPI-00083',
    title: 'score.scaled at 1.0 and -1.0',
    statement: set(long(), 'result.score', { scaled: -1, raw: 0, min: -5, max: 5 }),
  },
  {
    req: 'XAPI-00080',
    title: 'score.max alone',
    statement: set(long(), 'result.score', { max: 100.6767676 }),
  },
  {
    req: 'XAPI-00077',
    title: 'durations PT4H35M59.14S, PT16559.14S, P3Y1M29DT4H35M59.14S, P3Y, P4W',
    statement: set(long(), 'result.duration', 'P3Y1M29DT4H35M59.14S'),
  },
  {
    req: 'XAPI-00094',
    title: 'a single context activity object',
    statement: set(long(), 'context.contextActivities', { parent: { id: 'http://example.com/p' } }),
  },
  {
    req: 'XAPI-00123',
    title: 'a timestamp in basic format with a +0530 offset',
    statement: set(simple(), 'timestamp', '20130518T053234.804+0530'),
  },
  {
    req: 'XAPI-00123',
    title: 'a timestamp with more than millisecond precision',
    statement: set(simple(), 'timestamp', '2013-05-18T05:32:34.80412345Z'),
  },
  {
    req: 'XAPI-00065',
    title: 'a Group object with objectType',
    statement: set(simple(), 'object', { objectType: 'Group', member: [agent] }),
  },
  ...['cmn', 'tlh', 'fr-CA', 'zh-Hant'].map((tag) => ({
    req: 'XAPI-00013',
    title: `a context language of "${tag}"`,
    statement: set(long(), 'context.language', tag),
  })),
];

describe('validateStatement accepts valid statements', () => {
  for (const c of valid) {
    it(`${c.req} accepts ${c.title}`, () => {
      expect(issues(c.statement)).toEqual([]);
    });
  }

  it('XAPI-00121 accepts the language tags of the conformance suite', () => {
    for (const tag of [
      'de',
      'i-enochian',
      'ine',
      'zh-Hant',
      'sr-Latn',
      'zh-cmn-Hans-CN',
      'sr-Latn-RS',
      'sl-rozaj-biske',
      'de-CH-1901',
      'hy-Latn-IT-arevela',
      'de-DE',
      'az-Arab-x-AZE-derbend',
      'x-whatever',
    ]) {
      expect(issues(set(simple(), 'verb.display', { [tag]: 'visited' }))).toEqual([]);
    }
  });

  it('XAPI-00049 accepts every interaction type with its component lists and response patterns', () => {
    const defs = JSON.parse(readFileSync(join(FIXTURES, 'interactions.json'), 'utf8')) as Obj[];
    for (const d of defs) {
      const s = set(simple(), 'object.definition', {
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        ...d,
      });
      expect([d.interactionType, issues(s)]).toEqual([d.interactionType, []]);
    }
  });

  it('XAPI-00014 accepts an empty Activity Definition, in a statement and in a SubStatement (Data 2.4.4.1.s2)', () => {
    expect(issues(set(simple(), 'object.definition', {}))).toEqual([]);
    expect(issues(set(sub(), 'object.object.definition', {}))).toEqual([]);
    // Empty objects stay rejected where a rule names them: language maps and contextActivities.
    expect(issues(set(simple(), 'object.definition', { name: {} }))).toEqual([
      ['EMPTY_OBJECT', 'object.definition.name'],
    ]);
  });

  it('XAPI-00077 accepts the suite durations', () => {
    for (const d of ['PT1H0M0.1S', 'PT4H35M59.14S', 'PT16559.14S', 'P3Y1M29DT4H35M59.14S', 'P3Y', 'P4W']) {
      expect(issues(set(long(), 'result.duration', d))).toEqual([]);
    }
  });
});

describe('interaction rules beyond the suite', () => {
  it('rejects a component list the interaction type does not have', () => {
    const s = set(simple(), 'object.definition', { interactionType: 'true-false', choices: [{ id: 'a' }] });
    expect(issues(s)).toEqual([['INTERACTION_COMPONENT_NOT_ALLOWED', 'object.definition.choices']]);
  });
  it('rejects response patterns that do not fit the interaction type', () => {
    const cases: [string, string][] = [
      ['true-false', 'yes'],
      ['choice', 'a[,]'],
      ['likert', 'a[,]b'],
      ['matching', 'a[.]1[,]b'],
      ['performance', '[.]x'],
      ['numeric', '5[:]1'],
      ['numeric', 'five'],
    ];
    for (const [interactionType, p] of cases) {
      const s = set(simple(), 'object.definition', { interactionType, correctResponsesPattern: [p] });
      expect([interactionType, p, issues(s)]).toEqual([
        interactionType,
        p,
        [['INVALID_RESPONSE_PATTERN', 'object.definition.correctResponsesPattern[0]']],
      ]);
    }
  });
});
