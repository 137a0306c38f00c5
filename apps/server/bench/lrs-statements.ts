/**
 * The statements of the LRS benchmark: the same deterministic population for every LRS under
 * test, so that the filtered queries select the same share of the store everywhere.
 * Each statement is about 1 KB: an account actor, one of 12 verbs, one of 2,000 activities with a
 * definition, a registration shared by 5 statements, a score, context activities and a timestamp.
 */
import { randomUUID } from 'node:crypto';

export const LEARNERS = 5_000;
export const ACTIVITIES = 2_000;
export const REGISTRATIONS = 20_000;
const VERBS = [
  'initialized',
  'launched',
  'experienced',
  'attempted',
  'answered',
  'interacted',
  'progressed',
  'scored',
  'completed',
  'passed',
  'failed',
  'terminated',
].map((v) => `http://adlnet.gov/expapi/verbs/${v}`);

/** A stable pseudo-random integer in [0, n) for (i, salt): no Math.random, so runs are comparable. */
function pick(i: number, salt: number, n: number): number {
  let x = (i * 2654435761 + salt * 40503) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b) >>> 0;
  x ^= x >>> 16;
  return (x >>> 0) % n;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
/** A fixed UUID (version 4 layout) for registration number `r`. */
export const registrationId = (r: number): string =>
  `${hex(r, 8)}-b3c1-4d2e-8f00-${hex(r * 7919, 12).slice(-12)}`;
export const learnerAgent = (l: number) => ({
  objectType: 'Agent',
  account: { homePage: 'https://lms.bench.example', name: `learner-${l}` },
});
export const activityId = (a: number) => `https://bench.example/courses/safety/activities/${a}`;
export const verbId = (v: number) => VERBS[v % VERBS.length]!;
export const VERB_COUNT = VERBS.length;

/** The `i`-th statement of the population, with a fresh id. */
export function benchStatement(i: number): Record<string, unknown> {
  const learner = pick(i, 1, LEARNERS);
  const activity = pick(i, 2, ACTIVITIES);
  const verb = pick(i, 3, VERBS.length);
  const registration = Math.floor(i / 5) % REGISTRATIONS;
  const scaled = pick(i, 4, 101) / 100;
  return {
    id: randomUUID(),
    actor: { ...learnerAgent(learner), name: `Learner ${learner}` },
    verb: { id: verbId(verb), display: { 'en-US': verbId(verb).split('/').pop()! } },
    object: {
      objectType: 'Activity',
      id: activityId(activity),
      definition: {
        type: 'http://adlnet.gov/expapi/activities/lesson',
        name: { 'en-US': `Lesson ${activity}` },
        description: { 'en-US': `Lesson ${activity} of the workplace safety course, part of the benchmark.` },
      },
    },
    result: {
      score: { scaled, raw: Math.round(scaled * 100), min: 0, max: 100 },
      success: scaled >= 0.7,
      completion: true,
      duration: `PT${pick(i, 5, 3600)}S`,
    },
    context: {
      registration: registrationId(registration),
      platform: 'bench',
      language: 'en-US',
      contextActivities: {
        parent: [{ objectType: 'Activity', id: 'https://bench.example/courses/safety' }],
        grouping: [{ objectType: 'Activity', id: 'https://bench.example/programs/onboarding' }],
        category: [{ objectType: 'Activity', id: 'https://w3id.org/xapi/scorm' }],
      },
      extensions: { 'https://bench.example/extensions/seat': pick(i, 6, 1000) },
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  };
}

/** The four filtered queries, the `k`-th of each kind (each kind matches a different share). */
export function benchQuery(kind: 'agent' | 'verb' | 'activity' | 'registration', k: number): string {
  switch (kind) {
    case 'agent':
      return `agent=${encodeURIComponent(JSON.stringify(learnerAgent(pick(k, 7, LEARNERS))))}`;
    case 'verb':
      return `verb=${encodeURIComponent(verbId(pick(k, 8, VERBS.length)))}`;
    case 'activity':
      return `activity=${encodeURIComponent(activityId(pick(k, 9, ACTIVITIES)))}`;
    case 'registration':
      return `registration=${registrationId(pick(k, 10, REGISTRATIONS))}`;
  }
}
