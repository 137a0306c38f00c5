/**
 * validateStatement throughput on a typical 1.5 KB statement, beside JSON.parse of the same text
 * as the baseline, measured in the same process with the same warm-up. Also the SCORM mapping.
 *
 * Run: pnpm --filter @scormflow/xapi bench
 */
import { validateStatement } from '../src/index.js';

/** A typical tracked statement: agent account, verb, interaction activity, result, context. */
const STATEMENT = {
  id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
  actor: {
    objectType: 'Agent',
    name: 'Andrew Downes',
    account: { homePage: 'https://lms.example.com', name: '13936749' },
  },
  verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
  object: {
    objectType: 'Activity',
    id: 'https://lms.example.com/courses/fire-safety/sco/1/interactions/q7',
    definition: {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      name: { 'en-US': 'Extinguisher choice' },
      description: { 'en-US': 'Which extinguisher do you use on an electrical fire?' },
      interactionType: 'choice',
      correctResponsesPattern: ['co2[,]powder'],
      choices: [
        { id: 'co2', description: { 'en-US': 'CO2' } },
        { id: 'water', description: { 'en-US': 'Water' } },
        { id: 'foam', description: { 'en-US': 'Foam' } },
        { id: 'powder', description: { 'en-US': 'Dry powder' } },
      ],
    },
  },
  result: {
    score: { scaled: 0.5, raw: 5, min: 0, max: 10 },
    success: false,
    completion: true,
    response: 'co2[,]water',
    duration: 'PT12.5S',
  },
  context: {
    registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
    contextActivities: {
      parent: [{ objectType: 'Activity', id: 'https://lms.example.com/courses/fire-safety/sco/1' }],
      grouping: [{ objectType: 'Activity', id: 'https://lms.example.com/courses/fire-safety' }],
      category: [{ objectType: 'Activity', id: 'https://w3id.org/xapi/scorm' }],
    },
    platform: 'ScormFlow',
    language: 'en-US',
    extensions: { 'https://lms.example.com/xapi/extensions/attempt': 3 },
  },
  timestamp: '2026-11-22T10:00:00.000Z',
  version: '1.0.3',
};

const TEXT = JSON.stringify(STATEMENT);

function measure(name: string, fn: () => unknown, ms = 1500): number {
  const warm = performance.now();
  while (performance.now() - warm < 300) fn();
  let n = 0;
  let sink: unknown;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) sink = fn();
    n += 1000;
    now = performance.now();
  }
  if (sink === Symbol.for('never')) console.log(name);
  return n / ((now - start) / 1000);
}

const check = validateStatement(JSON.parse(TEXT));
if (!check.ok) throw new Error(`bench statement is invalid: ${JSON.stringify(check.errors)}`);

const parsed = JSON.parse(TEXT) as unknown;
const runs: [string, number][] = [];
for (let round = 0; round < 3; round++) {
  runs.push(['JSON.parse (baseline)', measure('parse', () => JSON.parse(TEXT))]);
  runs.push(['validateStatement', measure('validate', () => validateStatement(parsed))]);
  runs.push(['JSON.parse + validateStatement', measure('both', () => validateStatement(JSON.parse(TEXT)))]);
}
const best = new Map<string, number>();
for (const [k, v] of runs) best.set(k, Math.max(best.get(k) ?? 0, v));
const baseline = best.get('JSON.parse (baseline)') ?? 1;
console.log(
  `statement: ${TEXT.length} bytes of JSON (best of 3 rounds of 1.5 s each, Node ${process.version})`,
);
for (const [k, v] of best) {
  console.log(
    `${k.padEnd(32)} ${Math.round(v).toLocaleString('en-US').padStart(10)} statements/s  ${(v / baseline).toFixed(2)}x JSON.parse`,
  );
}
