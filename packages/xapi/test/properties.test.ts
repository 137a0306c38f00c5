/**
 * Property tests: generated valid statements validate; `exact` is the identity; `ids` is
 * idempotent and still valid; equivalence survives what the LRS may change; arbitrary JSON never
 * makes the validator throw; arbitrary SCORM learning events always map to valid statements.
 */
import type { InteractionData, LearningEvent, ObjectiveData } from '@scormflow/cmi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statementsEquivalent } from '../src/equivalent.js';
import { formatStatement } from '../src/format.js';
import { parseTimestamp } from '../src/formats.js';
import { statementsFromLearningEvents } from '../src/scorm/statements.js';
import type { Agent, Statement } from '../src/types.js';
import { validateStatement } from '../src/validate.js';

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const iri = fc
  .tuple(fc.constantFrom('http', 'https', 'urn'), word, word)
  .map(([s, a, b]) => (s === 'urn' ? `urn:${a}:${b}` : `${s}://${a}.example.com/${b}`));
const uuid = fc.uuid();
const lang = fc.constantFrom('en', 'en-US', 'de-DE', 'fr', 'zh-Hant', 'und', 'es-419');
const langMap = fc.dictionary(lang, fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 3 });
const hex40 = fc.stringMatching(/^[0-9a-f]{40}$/);

const agent: fc.Arbitrary<Agent> = fc.oneof(
  word.map((w) => ({ mbox: `mailto:${w}@example.com` })),
  hex40.map((h) => ({ objectType: 'Agent' as const, mbox_sha1sum: h })),
  iri.map((i) => ({ openid: i })),
  fc
    .tuple(iri, word)
    .map(([homePage, name]) => ({ objectType: 'Agent' as const, name, account: { homePage, name } })),
);
const group = fc.oneof(
  fc.array(agent, { minLength: 1, maxLength: 4 }).map((member) => ({ objectType: 'Group' as const, member })),
  fc.tuple(word, fc.array(agent, { maxLength: 3 })).map(([w, member]) => ({
    objectType: 'Group' as const,
    mbox: `mailto:${w}@example.com`,
    ...(member.length === 0 ? {} : { member }),
  })),
);
const actor = fc.oneof(agent, group);
const timestamp = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const activity = fc.record(
  {
    objectType: fc.constant('Activity' as const),
    id: iri,
    definition: fc.record({ name: langMap, description: langMap, type: iri }, { requiredKeys: ['type'] }),
  },
  { requiredKeys: ['id'] },
);
const score = fc
  .tuple(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 50 }),
  )
  .map(([scaled, a, b]) => ({ scaled, min: 0, max: 100, raw: Math.min(100, a + b) }));
const result = fc
  .record(
    {
      score,
      success: fc.boolean(),
      completion: fc.boolean(),
      response: fc.string({ maxLength: 30 }),
      duration: fc.integer({ min: 0, max: 100_000 }).map((s) => `PT${s}S`),
      extensions: fc.dictionary(iri, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  )
  .filter((r) => Object.keys(r).length > 0);
const context = fc.record(
  {
    registration: uuid,
    instructor: agent,
    contextActivities: fc.record(
      { parent: fc.array(activity, { minLength: 1, maxLength: 2 }), grouping: activity },
      { requiredKeys: ['parent'] },
    ),
    platform: word,
    language: lang,
  },
  { requiredKeys: ['registration'] },
);

const statement: fc.Arbitrary<Statement> = fc
  .record(
    {
      id: uuid,
      actor,
      verb: fc.record({ id: iri, display: langMap }, { requiredKeys: ['id'] }),
      object: activity,
      result,
      context,
      timestamp,
      version: fc.constant('1.0.3'),
    },
    { requiredKeys: ['actor', 'verb', 'object'] },
  )
  .map((s) => s as Statement);

describe('properties', () => {
  it('generated valid statements validate', () => {
    fc.assert(
      fc.property(statement, (s) => {
        const r = validateStatement(s);
        expect(r.ok ? [] : r.errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("formatStatement('exact') is the identity; 'ids' is idempotent and valid", () => {
    fc.assert(
      fc.property(statement, (s) => {
        expect(formatStatement(s, 'exact')).toBe(s);
        const ids = formatStatement(s, 'ids');
        expect(formatStatement(ids, 'ids')).toEqual(ids);
        const r = validateStatement(ids);
        expect(r.ok ? [] : r.errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a statement is equivalent to itself with LRS-assigned properties, reordered members, no definitions or displays', () => {
    fc.assert(
      fc.property(statement, fc.boolean(), (s, reverse) => {
        const actorOut =
          s.actor.objectType === 'Group' && s.actor.member !== undefined && reverse
            ? { ...s.actor, member: [...s.actor.member].reverse() }
            : s.actor;
        const { definition: _definition, ...object } = s.object as { definition?: unknown; id: string };
        const stored: Statement = {
          ...s,
          verb: { id: s.verb.id },
          object: { ...object, objectType: 'Activity' },
          actor: actorOut,
          stored: '2020-01-01T00:00:00.000Z',
          authority: { mbox: 'mailto:lrs@example.com' },
          version: '1.0.0',
        };
        expect(statementsEquivalent(s, stored)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('parseTimestamp reads every offset form of an instant as that instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.constantFrom(':', ''),
        (d, offsetMin, sep) => {
          const t = d.getTime();
          expect(parseTimestamp(d.toISOString())).toBe(t);
          if (offsetMin === 0) return;
          const local = new Date(t + offsetMin * 60_000).toISOString().slice(0, -1);
          const sign = offsetMin < 0 ? '-' : '+';
          const abs = Math.abs(offsetMin);
          const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${sep}${String(abs % 60).padStart(2, '0')}`;
          expect(parseTimestamp(`${local}${off}`)).toBe(t);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the validator never throws on arbitrary JSON and rejects non-objects', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const r = validateStatement(v);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) expect(r.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

const anyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  word,
  fc.constantFrom('a[,]b', 'a[.]1[,]b[.]2', '1[:]5', 't', '{case_matters=true}x', ''),
);
const scoreData = fc.record(
  {
    scaled: fc.double({ min: -2, max: 2, noNaN: true }),
    raw: fc.double({ min: -200, max: 200, noNaN: true }),
    min: fc.double({ min: -200, max: 200, noNaN: true }),
    max: fc.double({ min: -200, max: 200, noNaN: true }),
  },
  { requiredKeys: [] },
);
const interaction: fc.Arbitrary<InteractionData> = fc.record(
  {
    index: fc.nat(20),
    id: fc.string({ minLength: 1, maxLength: 20 }),
    type: fc.constantFrom(
      'true-false',
      'choice',
      'fill-in',
      'long-fill-in',
      'likert',
      'matching',
      'performance',
      'sequencing',
      'numeric',
      'other',
      'bogus',
    ),
    description: fc.string({ maxLength: 20 }),
    response: anyText,
    correctResponses: fc.array(anyText, { maxLength: 3 }),
    result: fc.constantFrom('correct', 'incorrect', 'wrong', 'neutral', 'unanticipated', '0.5', 'x'),
    latency: fc.constantFrom('PT5S', '0000:00:05.00', 'garbage'),
    objectiveIds: fc.constant([]),
  },
  { requiredKeys: ['index', 'id', 'correctResponses', 'objectiveIds'] },
);
const objective: fc.Arbitrary<ObjectiveData> = fc.record(
  {
    index: fc.nat(5),
    id: fc.string({ minLength: 1, maxLength: 20 }),
    successStatus: fc.constantFrom('passed', 'failed', 'unknown'),
    completionStatus: fc.constantFrom('completed', 'incomplete'),
    status: fc.constantFrom('passed', 'failed', 'completed', 'browsed'),
    score: scoreData,
  },
  { requiredKeys: ['index', 'id', 'score'] },
);
const seq = fc.integer({ min: 1, max: 5 });
const event: fc.Arbitrary<LearningEvent> = fc.oneof(
  seq.map((s) => ({ type: 'initialized' as const, seq: s, entry: 'ab-initio' })),
  seq.map((s) => ({ type: 'resumed' as const, seq: s, location: 'p1' })),
  fc
    .tuple(seq, fc.double({ min: -1, max: 2, noNaN: true }))
    .map(([s, p]) => ({ type: 'progressed' as const, seq: s, progressMeasure: p })),
  fc.tuple(seq, scoreData).map(([s, sc]) => ({ type: 'scored' as const, seq: s, score: sc })),
  seq.map((s) => ({ type: 'completed' as const, seq: s })),
  fc
    .tuple(seq, scoreData, fc.boolean())
    .map(([s, sc, p]) => ({ type: p ? ('passed' as const) : ('failed' as const), seq: s, score: sc })),
  seq.map((s) => ({ type: 'suspended' as const, seq: s })),
  fc.tuple(seq, fc.constantFrom('PT1M', '0000:01:00.00', 'nonsense', undefined)).map(([s, t]) => ({
    type: 'terminated' as const,
    seq: s,
    exit: '',
    ...(t === undefined ? {} : { sessionTime: t }),
  })),
  fc
    .tuple(seq, interaction)
    .map(([s, i]) => ({ type: 'interaction-recorded' as const, seq: s, interaction: i })),
  fc.tuple(seq, objective).map(([s, o]) => ({ type: 'objective-changed' as const, seq: s, objective: o })),
);

describe('SCORM mapping properties', () => {
  it('arbitrary learning events of either version map to statements that all validate, with distinct ids', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 12 }),
        fc.constantFrom('1.2' as const, '2004' as const),
        (events, version) => {
          const list = statementsFromLearningEvents(events, {
            actor: { mbox: 'mailto:learner@example.com' },
            registration: 'attempt-17',
            course: { id: 'https://lms.example.com/c/1', title: 'Course' },
            sco: { id: 'https://lms.example.com/c/1/sco/a' },
            timestamp: '2026-11-22T10:00:00.000Z',
            version,
          });
          for (const s of list) {
            const r = validateStatement(s);
            expect(r.ok ? [] : r.errors).toEqual([]);
          }
          expect(new Set(list.map((s) => s.id)).size).toBe(list.length);
        },
      ),
      { numRuns: 400 },
    );
  });
});
