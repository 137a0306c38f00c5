/**
 * SetValue/GetValue throughput of @scormflow/cmi against scorm-again on the same realistic session
 * mix, in the same process with the same warm-up, plus the minified + gzipped size of the
 * browser-facing entry beside scorm-again's bundles.
 *
 * Run: pnpm --filter @scormflow/cmi bench
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Scorm12API, Scorm2004API } from 'scorm-again';

const PKG = resolve(import.meta.dirname, '..');
const ENTRY = join(PKG, 'src', 'index.ts');

/** One API call of the mix: [method, element, value?]. */
type Op = readonly ['get', string] | readonly ['set', string, string];

/** The few methods the mix uses, named neutrally so both libraries fit. */
interface Session {
  init(): string;
  get(el: string): string;
  set(el: string, v: string): string;
  err(): string;
}

type Factory = () => Session;

const SUSPEND = (() => {
  // A few KB of realistic suspend data: a JSON-ish progress blob.
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < 3000; i++)
    parts.push(`{"p":${i},"v":"${(i * 7919) % 10007}","d":1},`);
  return `[${parts.join('').slice(0, 2990)}]`;
})();

function mix12(): Op[] {
  const ops: Op[] = [
    ['get', 'cmi.core.entry'],
    ['get', 'cmi.core.lesson_status'],
    ['get', 'cmi.core.lesson_location'],
    ['get', 'cmi.core.student_id'],
    ['set', 'cmi.core.lesson_status', 'incomplete'],
  ];
  for (let q = 0; q < 10; q++) {
    const n = `cmi.interactions.${q}`;
    ops.push(
      ['set', 'cmi.core.lesson_location', `page-${q + 1}`],
      ['set', `${n}.id`, `question-${q + 1}`],
      ['set', `${n}.type`, 'choice'],
      ['set', `${n}.student_response`, 'a,c'],
      ['set', `${n}.result`, q % 3 === 0 ? 'wrong' : 'correct'],
      ['set', `${n}.latency`, '00:00:12.5'],
      ['get', 'cmi.core.lesson_status'],
      ['set', 'cmi.suspend_data', SUSPEND],
      ['get', 'cmi.interactions._count'],
    );
  }
  for (let o = 0; o < 3; o++) {
    ops.push(
      ['set', `cmi.objectives.${o}.id`, `objective-${o + 1}`],
      ['set', `cmi.objectives.${o}.score.raw`, String(60 + o * 10)],
      ['set', `cmi.objectives.${o}.status`, 'passed'],
    );
  }
  ops.push(
    ['set', 'cmi.core.score.min', '0'],
    ['set', 'cmi.core.score.max', '100'],
    ['set', 'cmi.core.score.raw', '87'],
    ['get', 'cmi.core.score.raw'],
    ['set', 'cmi.core.lesson_status', 'passed'],
    ['get', 'cmi.suspend_data'],
    ['set', 'cmi.core.session_time', '00:12:34.56'],
    ['set', 'cmi.core.exit', 'suspend'],
  );
  return ops;
}

function mix2004(): Op[] {
  const ops: Op[] = [
    ['get', 'cmi.entry'],
    ['get', 'cmi.completion_status'],
    ['get', 'cmi.success_status'],
    ['get', 'cmi.location'],
    ['get', 'cmi.learner_id'],
    ['set', 'cmi.completion_status', 'incomplete'],
  ];
  for (let q = 0; q < 10; q++) {
    const n = `cmi.interactions.${q}`;
    ops.push(
      ['set', 'cmi.location', `page-${q + 1}`],
      ['set', `${n}.id`, `urn:example:question-${q + 1}`],
      ['set', `${n}.type`, 'choice'],
      ['set', `${n}.learner_response`, 'a[,]c'],
      ['set', `${n}.result`, q % 3 === 0 ? 'incorrect' : 'correct'],
      ['set', `${n}.latency`, 'PT12.5S'],
      ['get', 'cmi.completion_status'],
      ['set', 'cmi.progress_measure', String((q + 1) / 10)],
      ['set', 'cmi.suspend_data', SUSPEND],
      ['get', 'cmi.interactions._count'],
    );
  }
  for (let o = 0; o < 3; o++) {
    ops.push(
      ['set', `cmi.objectives.${o}.id`, `objective-${o + 1}`],
      ['set', `cmi.objectives.${o}.score.scaled`, String(0.6 + o / 10)],
      ['set', `cmi.objectives.${o}.success_status`, 'passed'],
      ['set', `cmi.objectives.${o}.completion_status`, 'completed'],
    );
  }
  ops.push(
    ['set', 'cmi.score.min', '0'],
    ['set', 'cmi.score.max', '100'],
    ['set', 'cmi.score.raw', '87'],
    ['set', 'cmi.score.scaled', '0.87'],
    ['get', 'cmi.score.scaled'],
    ['set', 'cmi.completion_status', 'completed'],
    ['set', 'cmi.success_status', 'passed'],
    ['get', 'cmi.suspend_data'],
    ['set', 'cmi.session_time', 'PT12M34.56S'],
    ['set', 'cmi.exit', 'suspend'],
  );
  return ops;
}

const SA_OPTIONS = { lmsCommitUrl: false, autocommit: false, logLevel: 5 } as const;

function scormAgain12(): Session {
  const a = new Scorm12API(SA_OPTIONS);
  return {
    init: () => a.LMSInitialize(''),
    get: (e) => a.LMSGetValue(e),
    set: (e, v) => a.LMSSetValue(e, v),
    err: () => String(a.LMSGetLastError()),
  };
}
function scormAgain2004(): Session {
  const a = new Scorm2004API(SA_OPTIONS);
  return {
    init: () => a.Initialize(''),
    get: (e) => a.GetValue(e),
    set: (e, v) => a.SetValue(e, v),
    err: () => String(a.GetLastError()),
  };
}

interface OurApis {
  v12: Factory;
  v2004: Factory;
}

async function loadOurs(): Promise<OurApis | string> {
  let mod: Record<string, unknown>;
  try {
    mod = await import('../src/index.js');
  } catch (e) {
    return `the package failed to load: ${e instanceof Error ? e.message : String(e)}`;
  }
  const c12 = mod.createScorm12Api;
  const c2004 = mod.createScorm2004Api;
  if (typeof c12 !== 'function' || typeof c2004 !== 'function') {
    return 'createScorm12Api / createScorm2004Api are not exported yet';
  }
  type Api12 = {
    LMSInitialize(p: string): string;
    LMSGetValue(e: string): string;
    LMSSetValue(e: string, v: string): string;
    LMSGetLastError(): string;
  };
  type Api2004 = {
    Initialize(p: string): string;
    GetValue(e: string): string;
    SetValue(e: string, v: string): string;
    GetLastError(): string;
  };
  const launch = { learnerId: 'learner-1', learnerName: 'Learner, One' };
  return {
    v12: () => {
      const a = (c12 as (o: unknown) => Api12)({ launch });
      return {
        init: () => a.LMSInitialize(''),
        get: (e) => a.LMSGetValue(e),
        set: (e, v) => a.LMSSetValue(e, v),
        err: () => a.LMSGetLastError(),
      };
    },
    v2004: () => {
      const a = (c2004 as (o: unknown) => Api2004)({ launch });
      return {
        init: () => a.Initialize(''),
        get: (e) => a.GetValue(e),
        set: (e, v) => a.SetValue(e, v),
        err: () => a.GetLastError(),
      };
    },
  };
}

/** Runs the mix once on a fresh, initialized session; returns a checksum to keep the JIT honest. */
function session(factory: Factory, ops: readonly Op[]): number {
  const s = factory();
  s.init();
  let sum = 0;
  for (const op of ops) {
    const r = op[0] === 'get' ? s.get(op[1]) : s.set(op[1], op[2]);
    sum += r.length;
  }
  return sum;
}

/** Every SetValue of the mix must succeed and every GetValue must answer error 0 on both sides. */
function verify(name: string, factory: Factory, ops: readonly Op[]): string[] {
  const s = factory();
  const problems: string[] = [];
  if (s.init() !== 'true') problems.push(`${name}: Initialize failed (${s.err()})`);
  const written = new Map<string, string>();
  for (const op of ops) {
    const r = op[0] === 'get' ? s.get(op[1]) : s.set(op[1], op[2]);
    const e = s.err();
    if (op[0] === 'get' && written.has(op[1]) && r !== written.get(op[1])) {
      problems.push(`${name}: get ${op[1]} -> ${r.slice(0, 40)}, expected the value set before`);
    }
    if (op[0] === 'set') written.set(op[1], op[2]);
    // A SCO reads cmi.location before writing it to detect a resume: 403 is the right answer then.
    const notInitialized = op[0] === 'get' && e === '403' && !written.has(op[1]);
    if ((op[0] === 'set' && r !== 'true') || (e !== '0' && !notInitialized)) {
      problems.push(`${name}: ${op[0]} ${op[1]} -> ${r} (error ${e})`);
    }
  }
  return problems;
}

/** Sessions per second over about `ms` milliseconds, as operations per second. */
function measure(factory: Factory, ops: readonly Op[], ms: number): number {
  let sessions = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 20; i++) sink += session(factory, ops);
    sessions += 20;
    now = performance.now();
  }
  if (sink === -1) console.log('');
  return (sessions * ops.length) / ((now - start) / 1000);
}

/** Hot path only: one initialized API, the same small Set/Get loop again and again (no construction). */
function measureHot(factory: Factory, ops: readonly Op[], ms: number): number {
  const s = factory();
  s.init();
  let calls = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 200; i++) {
      for (const op of ops) sink += (op[0] === 'get' ? s.get(op[1]) : s.set(op[1], op[2])).length;
    }
    calls += 200 * ops.length;
    now = performance.now();
  }
  if (sink === -1) console.log('');
  return calls / ((now - start) / 1000);
}

const HOT_12: Op[] = [
  ['set', 'cmi.core.lesson_location', 'page-7'],
  ['get', 'cmi.core.lesson_location'],
  ['set', 'cmi.core.score.raw', '87'],
  ['get', 'cmi.core.lesson_status'],
  ['set', 'cmi.core.session_time', '00:12:34.56'],
  ['set', 'cmi.suspend_data', 'chapter=3;page=7'],
];
const HOT_2004: Op[] = [
  ['set', 'cmi.location', 'page-7'],
  ['get', 'cmi.location'],
  ['set', 'cmi.score.scaled', '0.87'],
  ['get', 'cmi.completion_status'],
  ['set', 'cmi.session_time', 'PT12M34.56S'],
  ['set', 'cmi.suspend_data', 'chapter=3;page=7'],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function throughput(ours: OurApis | string): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const roundMs = Number(process.env.BENCH_ROUND_MS ?? 1000);
  const cases: { label: string; ops: Op[]; ours?: Factory; theirs: Factory }[] = [
    {
      label: 'SCORM 1.2',
      ops: mix12(),
      theirs: scormAgain12,
      ...(typeof ours === 'string' ? {} : { ours: ours.v12 }),
    },
    {
      label: 'SCORM 2004',
      ops: mix2004(),
      theirs: scormAgain2004,
      ...(typeof ours === 'string' ? {} : { ours: ours.v2004 }),
    },
  ];
  console.log(`Throughput: ${rounds} rounds of ${roundMs} ms per library after a warm-up; median ops/s`);
  console.log(
    '(one op = one SetValue or GetValue; session mix: a fresh, initialized API per session running',
  );
  console.log(' the whole mix; hot loop: one API repeating location/score/status/session_time/suspend_data)');
  for (const c of cases) {
    const sets = c.ops.filter((o) => o[0] === 'set').length;
    console.log(
      `\n${c.label}: ${c.ops.length} calls per session (${sets} SetValue, ${c.ops.length - sets} GetValue)`,
    );
    const problems = [
      ...verify('scorm-again', c.theirs, c.ops),
      ...(c.ours ? verify('ours', c.ours, c.ops) : []),
    ];
    for (const p of problems) console.log(`  check: ${p}`);
    // Warm-up both sides the same way before any measured round.
    measure(c.theirs, c.ops, roundMs / 2);
    if (c.ours) measure(c.ours, c.ops, roundMs / 2);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      b.push(measure(c.theirs, c.ops, roundMs));
      if (c.ours) a.push(measure(c.ours, c.ops, roundMs));
    }
    const theirs = median(b);
    console.log(`  session mix   scorm-again 3.x : ${fmt(theirs).padStart(12)} ops/s`);
    if (c.ours) {
      const mine = median(a);
      console.log(`  session mix   @scormflow/cmi  : ${fmt(mine).padStart(12)} ops/s`);
      console.log(`  session mix   ratio ours/scorm-again: ${(mine / theirs).toFixed(2)}x (target >= 3x)`);
    } else {
      console.log(`  session mix   @scormflow/cmi  : not available (${ours as string})`);
    }
    const hot = c.label === 'SCORM 1.2' ? HOT_12 : HOT_2004;
    const hotProblems = [
      ...verify('scorm-again', c.theirs, hot),
      ...(c.ours ? verify('ours', c.ours, hot) : []),
    ];
    for (const p of hotProblems) console.log(`  check (hot loop): ${p}`);
    measureHot(c.theirs, hot, roundMs / 2);
    if (c.ours) measureHot(c.ours, hot, roundMs / 2);
    const ha: number[] = [];
    const hb: number[] = [];
    for (let r = 0; r < rounds; r++) {
      hb.push(measureHot(c.theirs, hot, roundMs));
      if (c.ours) ha.push(measureHot(c.ours, hot, roundMs));
    }
    console.log(`  hot loop      scorm-again 3.x : ${fmt(median(hb)).padStart(12)} ops/s`);
    if (c.ours) {
      console.log(`  hot loop      @scormflow/cmi  : ${fmt(median(ha)).padStart(12)} ops/s`);
      console.log(`  hot loop      ratio ours/scorm-again: ${(median(ha) / median(hb)).toFixed(2)}x`);
    }
  }
}

async function bundleSize(contents: string, resolveDir: string): Promise<{ min: number; gz: number }> {
  const out = await build({
    stdin: { contents, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    target: 'es2022',
    conditions: ['@scormflow/source'],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

async function sizes(ours: OurApis | string): Promise<void> {
  console.log('\nSize: esbuild bundle + minify (ESM, browser) then gzip level 9');
  const rows: [string, { min: number; gz: number } | string][] = [];
  if (typeof ours === 'string') {
    rows.push(['@scormflow/cmi (src/index.ts, all exports)', `not available (${ours})`]);
  } else {
    rows.push([
      '@scormflow/cmi (src/index.ts, all exports)',
      await bundleSize(`export * from ${JSON.stringify(ENTRY)};`, PKG),
    ]);
    rows.push([
      '@scormflow/cmi createScorm12Api + createScorm2004Api',
      await bundleSize(`export { createScorm12Api, createScorm2004Api } from ${JSON.stringify(ENTRY)};`, PKG),
    ]);
    rows.push([
      '@scormflow/cmi createScorm12Api only',
      await bundleSize(`export { createScorm12Api } from ${JSON.stringify(ENTRY)};`, PKG),
    ]);
    rows.push([
      '@scormflow/cmi createScorm2004Api only',
      await bundleSize(`export { createScorm2004Api } from ${JSON.stringify(ENTRY)};`, PKG),
    ]);
  }
  rows.push([
    'scorm-again/scorm12 (re-bundled)',
    await bundleSize(`export { Scorm12API } from 'scorm-again/scorm12';`, PKG),
  ]);
  rows.push([
    'scorm-again/scorm2004 (re-bundled)',
    await bundleSize(`export { Scorm2004API } from 'scorm-again/scorm2004';`, PKG),
  ]);
  rows.push(['scorm-again (all, re-bundled)', await bundleSize(`export * from 'scorm-again';`, PKG)]);
  const require = createRequire(join(PKG, 'package.json'));
  const dist = dirname(require.resolve('scorm-again/scorm12'));
  for (const f of ['scorm12.min.js', 'scorm2004.min.js', 'scorm-again.min.js']) {
    const code = readFileSync(join(dist, f));
    rows.push([
      `scorm-again dist/${f} (as shipped)`,
      { min: code.length, gz: gzipSync(code, { level: 9 }).length },
    ]);
  }
  for (const [label, r] of rows) {
    console.log(
      `  ${label.padEnd(56)} ${typeof r === 'string' ? r : `${kb(r.min).padStart(9)} min  ${kb(r.gz).padStart(8)} gzip`}`,
    );
  }
  if (typeof ours !== 'string') {
    const out = await build({
      stdin: {
        contents: `export { createScorm12Api, createScorm2004Api } from ${JSON.stringify(ENTRY)};`,
        resolveDir: PKG,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      platform: 'browser',
      target: 'es2022',
      conditions: ['@scormflow/source'],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.values(out.metafile.outputs)[0]?.inputs ?? {};
    const top = Object.entries(inputs)
      .map(([file, v]) => [file, v.bytesInOutput] as const)
      .filter(([, b]) => b > 0)
      .sort((a, b) => b[1] - a[1]);
    console.log('  largest inputs of the 1.2 + 2004 bundle (minified bytes before gzip):');
    for (const [file, b] of top) console.log(`    ${file.padEnd(40)} ${String(b).padStart(7)}`);
  }
  const both = typeof ours === 'string' ? undefined : rows[1]?.[1];
  if (typeof both === 'object') {
    console.log(
      `  target: 1.2 + 2004 under 12 KB gzip -> ${kb(both.gz)} ${both.gz < 12 * 1024 ? '(met)' : '(NOT met)'}`,
    );
  }
}

const ours = await loadOurs();
await throughput(ours);
await sizes(ours);
