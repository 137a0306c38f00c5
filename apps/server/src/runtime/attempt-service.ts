import {
  applyCommit,
  type CmiState,
  type ScormVersion as CmiVersion,
  type CommitDiff,
  createInitialState,
  createScorm12Api,
  createScorm2004Api,
} from '@scormflow/cmi';
import type {
  Attempt,
  CommitStatements,
  Course,
  CourseItem,
  Database,
  Learner,
  ScoState,
} from '@scormflow/db';
import type { LrsStore, StoringClock } from '@scormflow/lrs';
import { HttpProblem } from '../errors.js';
import {
  createActivityMemo,
  type ScormCommitStatements,
  type ScormCommitStatementsOf,
  scormSessionStatements,
  writeScormStatements,
} from '../xapi/scorm-statements.js';
import { launchContextFor } from './launch-context.js';
import { attemptProgress, interactionRecords, objectiveRecords, scoProgress } from './sco-summary.js';
import { type CachedSession, createSessionCache, SESSION_CACHE_SIZE } from './session-cache.js';

/** What a runtime call answers, exactly as the SCORM API method would: its return value and error code. */
export interface ScormAnswer {
  result: string;
  errorCode: string;
}

/** Everything a runtime call works on, loaded for one attempt. */
export interface AttemptContext {
  attempt: Attempt;
  course: Course;
  items: CourseItem[];
  scos: CourseItem[];
  learner: Learner;
  version: CmiVersion;
}

/** What the SCORM runtime calls work on: an attempt context without the learner row. */
type RuntimeContext = Omit<AttemptContext, 'learner'>;

/** One accepted commit of a SCO: what its statements are made from. */
interface CommitSnapshot {
  ctx: RuntimeContext;
  item: string;
  before: CmiState;
  diff: CommitDiff;
  after: CmiState;
  committedAt: Date;
}

/** Why a diff was refused: a `CommitErrorCode` of `@scormflow/cmi`, or a session that is not running. */
export type CommitRefusal = {
  reason: string;
  message: string;
  currentSeq: number;
  /** The SCORM error the local API reports for the failed Commit / Terminate. */
  errorCode: string;
  element?: string;
  op?: number;
};

// Lifecycle error codes [get, set, commit, terminate] x [before Initialize, after Terminate]
const LIFECYCLE = {
  '1.2': { get: ['301', '301'], set: ['301', '301'], commit: ['301', '301'], terminate: ['301', '301'] },
  '2004': { get: ['122', '123'], set: ['132', '133'], commit: ['142', '143'], terminate: ['112', '113'] },
} as const;

/** The `@scormflow/cmi` version of a course's SCORM version. */
export function cmiVersionOf(course: Course): CmiVersion | null {
  if (course.kind !== 'scorm' || course.scormVersion === null) return null;
  return course.scormVersion === '1.2' ? '1.2' : '2004';
}

/** One SCORM API object of either version behind the same calls, already initialized. */
interface SessionCalls {
  get(element: string): string;
  set(element: string, value: string): string;
  commit(): string;
  terminate(): string;
  error(): string;
}

/** The API object a browser would run, over a stored state, initialized. */
function apiFor(
  version: CmiVersion,
  state: CmiState,
  onCommit?: (diff: CommitDiff) => boolean,
): SessionCalls {
  const options = onCommit ? { state, onCommit } : { state };
  if (version === '1.2') {
    const api = createScorm12Api(options);
    api.LMSInitialize('');
    return {
      get: (e) => api.LMSGetValue(e),
      set: (e, v) => api.LMSSetValue(e, v),
      commit: () => api.LMSCommit(''),
      terminate: () => api.LMSFinish(''),
      error: () => api.LMSGetLastError(),
    };
  }
  const api = createScorm2004Api(options);
  api.Initialize('');
  return {
    get: (e) => api.GetValue(e),
    set: (e, v) => api.SetValue(e, v),
    commit: () => api.Commit(''),
    terminate: () => api.Terminate(''),
    error: () => api.GetLastError(),
  };
}

const CLOSED: readonly Attempt['status'][] = ['completed', 'terminated'];

/** The attempt summary a commit stores (see `attemptProgress`). */
type AttemptSummary = ReturnType<typeof attemptProgress>;

/** How often a one-operation commit is rebuilt on the new state after losing a race with another writer. */
const MAX_RACE_RETRIES = 20;

/** The SCOs of a cached item list, computed once per list. */
const scoLists = new WeakMap<CourseItem[], CourseItem[]>();
function scosOf(items: CourseItem[]): CourseItem[] {
  let scos = scoLists.get(items);
  if (!scos) {
    scos = items.filter((i) => i.isSco);
    scoLists.set(items, scos);
  }
  return scos;
}

/** Course versions (row and items) kept in memory by one service. */
const COURSE_CACHE_SIZE = 64;

/** Options of `attemptService`. */
export interface AttemptServiceOptions {
  /**
   * How many SCO sessions (attempt row and SCO state) a commit may start from without reading
   * them; 0 reads them on every commit. Default 4096.
   */
  sessionCacheSize?: number;
  /**
   * Where every accepted commit also lands as xAPI statements (the ADL SCORM profile, one
   * registration per attempt): the tenant's LRS and the engine's public base URL (the root of
   * course, SCO and learner IRIs). `null` or absent: no statements. A statements failure is passed
   * to `onError` (default: logged) and never refuses or undoes the commit.
   */
  statements?: ScormStatementsOption | null;
}

/** Where and how the statements of commits are written (see `AttemptServiceOptions.statements`). */
export interface ScormStatementsOption {
  store: LrsStore;
  baseUrl: string;
  onError?: (error: unknown) => void;
  /**
   * SQLite only: each commit's statements are written by `scoStates.commit` in the commit's own
   * transaction, so that a commit and its statements reach the disk together. Default `false`:
   * each commit's statements are inserted right after it, and the LRS store writes the inserts
   * that arrive together as one transaction, which took 10-30 % less CPU per commit with 50
   * learners at once. Postgres always writes them after the commit.
   */
  sameTransaction?: boolean;
  /**
   * Stamps each commit's statement write (their `stored` time) until it is done, so that the
   * LRS's `X-Experience-API-Consistent-Through` stays before a commit whose statements are not
   * readable yet: give the clock the LRS routes use.
   */
  clock?: StoringClock;
}

/**
 * The attempts and the SCORM runtime over the database: every write goes through
 * `scoStates.commit`, a conditional write on the stored seq, so any number of server processes can
 * serve one attempt. A commit starts from the attempt row and SCO state this service last stored
 * or read (a cache); when another process or service has written since, the conditional write
 * refuses, the entry is dropped, and the commit is decided again on a fresh read.
 */
export function attemptService(db: Database, options: AttemptServiceOptions = {}) {
  const { repos } = db;
  const sessions = createSessionCache(options.sessionCacheSize ?? SESSION_CACHE_SIZE);
  const statements = options.statements ?? null;
  // A learner's external id never changes: kept per attempt for the statements' actor.
  const learnersByAttempt = new Map<string, Promise<Learner | null>>();
  function learnerOf(attempt: Attempt): Promise<Learner | null> {
    let hit = learnersByAttempt.get(attempt.id);
    if (!hit) {
      if (learnersByAttempt.size >= SESSION_CACHE_SIZE) learnersByAttempt.clear();
      hit = repos.learners.get(attempt.tenantId, attempt.learnerId);
      learnersByAttempt.set(attempt.id, hit);
      hit.catch(() => learnersByAttempt.delete(attempt.id));
    }
    return hit;
  }

  // The statement maker of each SCO session (learner, course version and SCO never change within
  // an attempt), and the activity definitions this service knows the LRS holds.
  const makers = new Map<string, ScormCommitStatementsOf>();
  const activityMemo = createActivityMemo();
  // On Postgres, `scoStates.commit` would write a commit's statements after it in a transaction
  // of their own per commit: the LRS store's own grouping of a tenant's inserts is used there.
  const inCommit = statements?.sameTransaction === true && db.dialect === 'sqlite';
  async function makerOf(ctx: RuntimeContext, item: string): Promise<ScormCommitStatementsOf | null> {
    const k = `${ctx.attempt.id}\u0000${item}`;
    const hit = makers.get(k);
    if (hit) return hit;
    const learner = await learnerOf(ctx.attempt);
    if (!learner || !statements) return null;
    const title = ctx.scos.find((i) => i.identifier === item)?.title;
    const maker = scormSessionStatements(
      {
        tenantId: ctx.attempt.tenantId,
        attemptId: ctx.attempt.id,
        learner: { externalId: learner.externalId, name: learner.name },
        course: { id: ctx.course.id, version: ctx.course.version, title: ctx.course.title },
        item: { identifier: item, ...(title ? { title } : {}) },
        version: ctx.version,
      },
      { baseUrl: statements.baseUrl },
    );
    if (makers.size >= SESSION_CACHE_SIZE) makers.clear();
    makers.set(k, maker);
    return maker;
  }

  const reportStatements = (error: unknown) =>
    (statements?.onError ?? ((e: unknown) => console.error('scormflow: SCORM statements not stored', e)))(
      error,
    );

  /** The statements of a commit, from its SCO session's maker; `null` when statements are off. */
  async function statementsOf({
    ctx,
    item,
    before,
    diff,
    after,
    committedAt,
  }: CommitSnapshot): Promise<ScormCommitStatements | null> {
    const make = makers.get(`${ctx.attempt.id}\u0000${item}`) ?? (await makerOf(ctx, item));
    return make ? make(before, diff, after, committedAt) : null;
  }

  /**
   * The statements of a commit about to be stored, for `scoStates.commit` to write in the commit's
   * own transaction (SQLite): activity definitions this service knows the LRS holds are left out.
   * `null` when there are none or they cannot be made (reported: the commit goes on without them).
   */
  async function commitStatements(
    commit: CommitSnapshot,
  ): Promise<{ xapi: CommitStatements; learned: ScormCommitStatements['activities'] } | null> {
    try {
      const built = await statementsOf(commit);
      if (!built || built.statements.length === 0) return null;
      const tenantId = commit.ctx.attempt.tenantId;
      const learned = built.activities.filter((a) => !activityMemo.has(tenantId, a.id, a.definition));
      return {
        xapi: {
          statements: built.statements,
          activities: learned as unknown as CommitStatements['activities'],
        },
        learned,
      };
    } catch (error) {
      reportStatements(error);
      return null;
    }
  }

  /**
   * The statements of an accepted commit, written to the tenant's LRS after the commit is stored.
   * A failure is reported and never undoes or refuses the commit: the runtime state stays the record.
   */
  async function recordStatements(commit: CommitSnapshot): Promise<void> {
    if (!statements) return;
    try {
      const built = await statementsOf(commit);
      if (!built) return;
      // The LRS stores group the inserts that arrive together (SQLite: those of one event-loop
      // turn in one transaction; Postgres: a tenant's inserts that arrive while one is in flight).
      const written = await writeScormStatements(
        statements.store,
        { tenantId: commit.ctx.attempt.tenantId },
        built,
        activityMemo,
      );
      if (!written.ok) {
        throw new Error(`statements ${written.conflicts.join(', ')} exist with other content`);
      }
    } catch (error) {
      reportStatements(error);
    }
  }

  // A course version never changes once stored, so its row and items are kept in memory (a few
  // versions at most); attempts, learners and states are always read from the database.
  const versions = new Map<string, Promise<[Course | null, CourseItem[]]>>();
  function courseVersion(tenantId: string, courseId: string, version: number) {
    const k = `${tenantId}\u0000${courseId}\u0000${version}`;
    let hit = versions.get(k);
    if (hit) {
      versions.delete(k);
    } else {
      hit = Promise.all([
        repos.courses.get(tenantId, courseId, version),
        repos.courses.items(tenantId, courseId, version),
      ]);
      hit.then(
        ([course]) => course === null && versions.delete(k),
        () => versions.delete(k),
      );
    }
    versions.set(k, hit);
    if (versions.size > COURSE_CACHE_SIZE) versions.delete(versions.keys().next().value as string);
    return hit;
  }

  async function load(tenantId: string, attemptId: string): Promise<AttemptContext> {
    const attempt = await repos.attempts.get(tenantId, attemptId);
    if (!attempt) throw new HttpProblem('ATTEMPT_NOT_FOUND', `The tenant has no attempt "${attemptId}".`);
    const [[course, items], learner] = await Promise.all([
      courseVersion(tenantId, attempt.courseId, attempt.courseVersion),
      repos.learners.get(tenantId, attempt.learnerId),
    ]);
    const version = course ? cmiVersionOf(course) : null;
    if (!course || !learner || version === null) {
      throw new HttpProblem('ATTEMPT_NOT_FOUND', `The attempt "${attemptId}" has no playable course.`);
    }
    return { attempt, course, items, scos: scosOf(items), learner, version };
  }

  /**
   * `load` without the learner row, for the runtime calls that never read it (GetValue,
   * SetValue, Commit, Terminate): one query fewer on the hottest path.
   */
  async function loadRuntime(tenantId: string, attemptId: string): Promise<RuntimeContext> {
    const attempt = await repos.attempts.get(tenantId, attemptId);
    if (!attempt) throw new HttpProblem('ATTEMPT_NOT_FOUND', `The tenant has no attempt "${attemptId}".`);
    const [course, items] = await courseVersion(tenantId, attempt.courseId, attempt.courseVersion);
    const version = course ? cmiVersionOf(course) : null;
    if (!course || version === null) {
      throw new HttpProblem('ATTEMPT_NOT_FOUND', `The attempt "${attemptId}" has no playable course.`);
    }
    return { attempt, course, items, scos: scosOf(items), version };
  }

  function sco(ctx: RuntimeContext, identifier: string | undefined): CourseItem {
    const id = identifier ?? ctx.attempt.currentItem ?? ctx.scos[0]?.identifier;
    const item = ctx.scos.find((i) => i.identifier === id);
    if (!item) {
      throw new HttpProblem('ITEM_NOT_FOUND', `The course has no SCO "${id ?? ''}".`, {
        extensions: { scos: ctx.scos.map((i) => i.identifier) },
      });
    }
    return item;
  }

  function assertOpen(ctx: RuntimeContext): void {
    if (CLOSED.includes(ctx.attempt.status)) {
      throw new HttpProblem('ATTEMPT_CLOSED', `The attempt is ${ctx.attempt.status}; start a new one.`);
    }
  }

  /**
   * The attempt summary after `item` reached `next`, from the stored states of the other SCOs:
   * `states` when the caller already read them, else read now (never when the course has no
   * other SCO, the common case, which is answered without a wait).
   */
  function summaryWith(
    ctx: RuntimeContext,
    item: string,
    next: CmiState,
    states?: readonly ScoState[],
  ): AttemptSummary | Promise<AttemptSummary> {
    if (ctx.scos.length === 1 && ctx.scos[0]!.identifier === item) {
      return attemptProgress([scoProgress(next)]);
    }
    if (states) return summaryOf(ctx, item, next, states);
    return repos.scoStates
      .listByAttempt(ctx.attempt.tenantId, ctx.attempt.id)
      .then((read) => summaryOf(ctx, item, next, read));
  }

  function summaryOf(
    ctx: RuntimeContext,
    item: string,
    next: CmiState,
    others: readonly ScoState[],
  ): AttemptSummary {
    const byItem = new Map(others.map((s) => [s.itemIdentifier, s.state as CmiState]));
    byItem.set(item, next);
    return attemptProgress(
      ctx.scos.map((i) => {
        const s = byItem.get(i.identifier);
        return s ? scoProgress(s) : null;
      }),
    );
  }

  /**
   * Replays `diff` on the stored state and stores the result with the conditional write. A session
   * end also ends the open launch and sets the attempt status (suspended, completed or active).
   */
  async function store(
    ctx: RuntimeContext,
    item: string,
    stored: ScoState,
    diff: CommitDiff,
    states?: readonly ScoState[],
  ): Promise<{ ok: true; state: CmiState } | { ok: false; refusal: CommitRefusal }> {
    const before = stored.state as CmiState;
    const applied = applyCommit(before, diff);
    const failCode = ctx.version === '1.2' ? '101' : diff?.terminated ? '111' : '391';
    if (!applied.ok) {
      const e = applied.error;
      return {
        ok: false,
        refusal: {
          reason: e.code,
          message: e.message,
          currentSeq: stored.seq,
          errorCode: e.scormError === undefined ? failCode : String(e.scormError),
          ...(e.element === undefined ? {} : { element: e.element }),
          ...(e.op === undefined ? {} : { op: e.op }),
        },
      };
    }
    const next = applied.value;
    const summarised = summaryWith(ctx, item, next, states);
    const progress = summarised instanceof Promise ? await summarised : summarised;
    const { allCompleted, ...summary } = progress;
    let status: Attempt['status'] = 'active';
    // The statements' stored time, held on the LRS clock until they are written (or given up).
    const stamp = statements?.clock?.stamp();
    const now = stamp ? new Date(stamp.stored) : new Date();
    try {
      if (next.terminated) {
        const p = scoProgress(next);
        status = p.suspended ? 'suspended' : allCompleted ? 'completed' : 'active';
      }
      const snapshot: CommitSnapshot = { ctx, item, before, diff, after: next, committedAt: now };
      const withStatements = inCommit ? await commitStatements(snapshot) : null;
      const result = await repos.scoStates.commit(ctx.attempt.tenantId, ctx.attempt.id, item, diff.seq, {
        state: next,
        diff,
        scormVersion: ctx.course.scormVersion,
        interactions: interactionRecords(next, diff.ops),
        objectives: objectiveRecords(next, diff.ops, diff.seq === before.sessionStart + 1),
        summary: {
          ...summary,
          status,
          currentItem: item,
          ...(status === 'completed' ? { finishedAt: now } : {}),
        },
        requireOpenAttempt: true,
        ...(withStatements ? { xapi: withStatements.xapi } : {}),
      });
      if (result.ok) {
        sessions.set({ attempt: { ...ctx.attempt, status, currentItem: item }, stored: result.value });
        if (!inCommit) await recordStatements(snapshot);
        else if (result.statementsError) {
          const e = result.statementsError;
          reportStatements(
            e.reason === 'conflict'
              ? new Error(`statements ${e.ids.join(', ')} exist with other content`)
              : e.error,
          );
        } else if (withStatements) {
          for (const a of withStatements.learned) activityMemo.add(ctx.attempt.tenantId, a.id, a.definition);
        }
      } else {
        sessions.delete(ctx.attempt.tenantId, ctx.attempt.id, item);
        const currentSeq = result.error === 'SEQ_CONFLICT' ? result.currentSeq : stored.seq;
        return {
          ok: false,
          refusal: {
            reason: 'STALE_COMMIT',
            message: `another commit was stored first (seq ${currentSeq})`,
            currentSeq,
            errorCode: failCode,
          },
        };
      }
      if (next.terminated) {
        const p = scoProgress(next);
        const launches = await repos.launches.listByAttempt(ctx.attempt.tenantId, ctx.attempt.id);
        const reached = p.successStatus !== 'unknown' ? p.successStatus : p.completionStatus;
        for (const l of launches) {
          if (l.itemIdentifier === item && l.endedAt === null) {
            await repos.launches.end(ctx.attempt.tenantId, l.id, {
              exit: p.exit,
              statusReached: reached,
              at: now,
            });
          }
        }
      }
      return { ok: true, state: next };
    } finally {
      stamp?.done();
    }
  }

  /**
   * The stored state of a SCO when its session is running, else the lifecycle error code. For a
   * write (`withStates`) on a course of several SCOs every state of the attempt is read in one
   * query, so that the summary of `store` needs no second read.
   */
  async function running(
    ctx: RuntimeContext,
    item: string,
    op: 'get' | 'set' | 'commit' | 'terminate',
    withStates = false,
  ): Promise<
    { ok: true; stored: ScoState; states?: readonly ScoState[] } | { ok: false; answer: ScormAnswer }
  > {
    let stored: ScoState | null;
    let states: readonly ScoState[] | undefined;
    if (withStates && ctx.scos.some((i) => i.identifier !== item)) {
      states = await repos.scoStates.listByAttempt(ctx.attempt.tenantId, ctx.attempt.id);
      stored = states.find((s) => s.itemIdentifier === item) ?? null;
    } else {
      stored = await repos.scoStates.get(ctx.attempt.tenantId, ctx.attempt.id, item);
    }
    const codes = LIFECYCLE[ctx.version][op];
    if (!stored) return { ok: false, answer: { result: op === 'get' ? '' : 'false', errorCode: codes[0] } };
    if ((stored.state as CmiState).terminated || CLOSED.includes(ctx.attempt.status)) {
      return { ok: false, answer: { result: op === 'get' ? '' : 'false', errorCode: codes[1] } };
    }
    return states ? { ok: true, stored, states } : { ok: true, stored };
  }

  /** `commit` from a cached session; `null` when the cache cannot decide (a fresh read will). */
  async function commitCached(cached: CachedSession, identifier: string, diff: CommitDiff) {
    const { attempt } = cached;
    if (CLOSED.includes(attempt.status) || (cached.stored.state as CmiState).terminated) return null;
    const [course, items] = await courseVersion(attempt.tenantId, attempt.courseId, attempt.courseVersion);
    const version = course ? cmiVersionOf(course) : null;
    if (!course || version === null) return null;
    const scos = scosOf(items);
    const item = scos.find((i) => i.identifier === identifier);
    if (!item) return null;
    const ctx: RuntimeContext = { attempt, course, items, scos, version };
    const stored = await store(ctx, item.identifier, cached.stored, diff);
    return stored.ok ? { ok: true as const, state: stored.state, item } : null;
  }

  return {
    load,
    sco,

    /** Starts or resumes the learner's attempt on the latest version of a course. */
    async start(
      tenantId: string,
      input: { courseId: string; learner: { id: string; name?: string | undefined } },
    ): Promise<{ ctx: AttemptContext; resumed: boolean }> {
      const course = await repos.courses.get(tenantId, input.courseId);
      if (!course) throw new HttpProblem('COURSE_NOT_FOUND', `The tenant has no course "${input.courseId}".`);
      if (cmiVersionOf(course) === null) {
        throw new HttpProblem('COURSE_NOT_SCORM', `The course is a ${course.kind} package, not SCORM.`);
      }
      const learner = await repos.learners.upsert(tenantId, {
        externalId: input.learner.id,
        ...(input.learner.name === undefined ? {} : { name: input.learner.name }),
      });
      const resumable = await repos.attempts.findResumable(tenantId, course.id, learner.id);
      if (resumable) return { ctx: await load(tenantId, resumable.id), resumed: true };
      const items = await repos.courses.items(tenantId, course.id, course.version);
      const first = items.find((i) => i.isSco);
      if (!first) throw new HttpProblem('COURSE_NOT_SCORM', 'The course has no SCO to launch.');
      const attempt = await repos.attempts.create(tenantId, {
        courseId: course.id,
        courseVersion: course.version,
        learnerId: learner.id,
        currentItem: first.identifier,
      });
      if (!attempt)
        throw new HttpProblem('COURSE_NOT_FOUND', `The tenant has no course "${input.courseId}".`);
      return { ctx: await load(tenantId, attempt.id), resumed: false };
    },

    /**
     * Opens a session of a SCO: its initial state from the launch context and the state its last
     * session ended with (resume), stored as a commit of its own so that every process sees it,
     * and a launch record. A session left running (a closed browser) is replaced.
     * @see SCORM 2004 4th Ed RTE 3.1.4.1 (Initialize), 4.2.7 (cmi.entry)
     */
    async initialize(tenantId: string, attemptId: string, identifier?: string) {
      const ctx = await load(tenantId, attemptId);
      assertOpen(ctx);
      const item = sco(ctx, identifier);
      const states = await repos.scoStates.listByAttempt(tenantId, attemptId);
      const previous = states.find((s) => s.itemIdentifier === item.identifier) ?? null;
      const launch = launchContextFor({
        course: ctx.course,
        item,
        learner: ctx.learner,
        previous,
        attemptStates: states,
      });
      const initial = createInitialState(ctx.version, launch);
      const seq = (previous?.seq ?? 0) + 1;
      const state: CmiState = { ...initial, seq, sessionStart: seq };
      const result = await repos.scoStates.commit(tenantId, attemptId, item.identifier, seq, {
        state,
        diff: { seq, ops: [], terminated: false, initialize: true },
        scormVersion: ctx.course.scormVersion,
        objectives: objectiveRecords(state, [], true),
        summary: { status: 'active', currentItem: item.identifier },
        requireOpenAttempt: true,
      });
      if (result.ok) {
        sessions.set({
          attempt: { ...ctx.attempt, status: 'active', currentItem: item.identifier },
          stored: result.value,
        });
      } else {
        sessions.delete(tenantId, attemptId, item.identifier);
      }
      if (!result.ok) {
        throw new HttpProblem('COMMIT_REJECTED', 'Another session of this SCO started at the same time.', {
          extensions: {
            reason: 'STALE_COMMIT',
            currentSeq: result.error === 'SEQ_CONFLICT' ? result.currentSeq : 0,
          },
        });
      }
      const open = await repos.launches.listByAttempt(tenantId, attemptId);
      for (const l of open) {
        if (l.itemIdentifier === item.identifier && l.endedAt === null) {
          await repos.launches.end(tenantId, l.id, { exit: null, statusReached: null });
        }
      }
      const started = await repos.launches.start(tenantId, { attemptId, itemIdentifier: item.identifier });
      return { ctx, item, state, launchId: started?.id ?? null };
    },

    /** GetValue / LMSGetValue on the stored state. */
    async getValue(tenantId: string, attemptId: string, identifier: string | undefined, element: string) {
      const ctx = await loadRuntime(tenantId, attemptId);
      const item = sco(ctx, identifier);
      const r = await running(ctx, item.identifier, 'get');
      if (!r.ok) return r.answer;
      const api = apiFor(ctx.version, r.stored.state as CmiState);
      const result = api.get(element);
      return { result, errorCode: api.error() };
    },

    /**
     * SetValue / LMSSetValue: checked by the same API object a browser runs, then stored at once as
     * a one-operation commit (replayed through `applyCommit`). A commit that loses a race with
     * another writer is retried on the new state.
     */
    async setValue(
      tenantId: string,
      attemptId: string,
      identifier: string | undefined,
      element: string,
      value: string,
    ): Promise<ScormAnswer> {
      const ctx = await loadRuntime(tenantId, attemptId);
      const item = sco(ctx, identifier);
      for (let tries = 0; tries < MAX_RACE_RETRIES; tries++) {
        const r = await running(ctx, item.identifier, 'set', true);
        if (!r.ok) return r.answer;
        const sent: CommitDiff[] = [];
        const api = apiFor(ctx.version, r.stored.state as CmiState, (d) => {
          sent.push(d);
          return true;
        });
        const result = api.set(element, value);
        if (result !== 'true') return { result, errorCode: api.error() };
        const committed = api.commit();
        if (committed !== 'true' || sent[0] === undefined) return { result: 'false', errorCode: api.error() };
        const stored = await store(ctx, item.identifier, r.stored, sent[0], r.states);
        if (stored.ok) return { result: 'true', errorCode: '0' };
        if (stored.refusal.reason !== 'STALE_COMMIT')
          return { result: 'false', errorCode: stored.refusal.errorCode };
      }
      return { result: 'false', errorCode: ctx.version === '1.2' ? '101' : '351' };
    },

    /**
     * A batch of SetValues with its seq (Commit of a local API); a session end when `diff.terminated`.
     * With a named SCO whose session this service last stored, the commit is decided on that cached
     * state with no read; any refusal on that path (including the database's, when another writer
     * came first) drops the entry and decides again on a fresh read, so that the answer is always
     * the database's.
     */
    async commit(tenantId: string, attemptId: string, identifier: string | undefined, diff: CommitDiff) {
      if (identifier !== undefined) {
        const cached = sessions.get(tenantId, attemptId, identifier);
        if (cached) {
          const done = await commitCached(cached, identifier, diff);
          if (done) return done;
          sessions.delete(tenantId, attemptId, identifier);
        }
      }
      const ctx = await loadRuntime(tenantId, attemptId);
      const item = sco(ctx, identifier);
      const r = await running(ctx, item.identifier, diff.terminated ? 'terminate' : 'commit', true);
      if (!r.ok) {
        const stored = await repos.scoStates.get(tenantId, attemptId, item.identifier);
        const currentSeq = stored?.seq ?? 0;
        // A diff the session already holds (a client replaying its queue after the session ended)
        // is answered as applyCommit answers a replay, so the client counts it as delivered.
        if (stored && diff.seq <= currentSeq) {
          const replayed = diff.seq === currentSeq;
          return {
            ok: false as const,
            refusal: {
              reason: replayed ? 'REPLAYED_COMMIT' : 'STALE_COMMIT',
              message: replayed
                ? `commit ${diff.seq} is stored already`
                : `commit ${diff.seq} is older than the stored commit ${currentSeq}`,
              currentSeq,
              errorCode: r.answer.errorCode,
            },
          };
        }
        return {
          ok: false as const,
          refusal: {
            reason: 'SESSION_NOT_RUNNING',
            message: 'The SCO has no running session; initialize it first.',
            currentSeq,
            errorCode: r.answer.errorCode,
          },
        };
      }
      const stored = await store(ctx, item.identifier, r.stored, diff, r.states);
      return stored.ok ? { ok: true as const, state: stored.state, item } : stored;
    },

    /**
     * Commit / LMSCommit of a remote SCO whose SetValues were each stored at once: nothing to
     * write, only the lifecycle answer and the stored seq.
     */
    async commitAnswer(
      tenantId: string,
      attemptId: string,
      identifier: string | undefined,
    ): Promise<ScormAnswer & { seq: number }> {
      const ctx = await loadRuntime(tenantId, attemptId);
      const item = sco(ctx, identifier);
      const r = await running(ctx, item.identifier, 'commit');
      if (!r.ok) {
        const stored = await repos.scoStates.get(tenantId, attemptId, item.identifier);
        return { ...r.answer, seq: stored?.seq ?? 0 };
      }
      return { result: 'true', errorCode: '0', seq: r.stored.seq };
    },

    /**
     * Terminate / LMSFinish with no diff: ends the session on the stored state (total time, the
     * evaluation rules, launch end, attempt status).
     */
    async terminate(
      tenantId: string,
      attemptId: string,
      identifier: string | undefined,
    ): Promise<ScormAnswer> {
      const ctx = await loadRuntime(tenantId, attemptId);
      const item = sco(ctx, identifier);
      for (let tries = 0; tries < MAX_RACE_RETRIES; tries++) {
        const r = await running(ctx, item.identifier, 'terminate', true);
        if (!r.ok) return r.answer;
        const sent: CommitDiff[] = [];
        const api = apiFor(ctx.version, r.stored.state as CmiState, (d) => {
          sent.push(d);
          return true;
        });
        const ended = api.terminate();
        if (ended !== 'true' || sent[0] === undefined) return { result: 'false', errorCode: api.error() };
        const stored = await store(ctx, item.identifier, r.stored, sent[0], r.states);
        if (stored.ok) return { result: 'true', errorCode: '0' };
        if (stored.refusal.reason !== 'STALE_COMMIT')
          return { result: 'false', errorCode: stored.refusal.errorCode };
      }
      return { result: 'false', errorCode: ctx.version === '1.2' ? '101' : '111' };
    },

    /** Ends every running session of the attempt (as Terminate would) and closes the attempt. */
    async finish(tenantId: string, attemptId: string): Promise<Attempt> {
      const ctx = await load(tenantId, attemptId);
      assertOpen(ctx);
      const states = await repos.scoStates.listByAttempt(tenantId, attemptId);
      for (const s of states) {
        sessions.delete(tenantId, attemptId, s.itemIdentifier);
        const state = s.state as CmiState;
        if (state.terminated) continue;
        await store(ctx, s.itemIdentifier, s, { seq: s.seq + 1, ops: [], terminated: true });
      }
      const now = new Date();
      for (const l of await repos.launches.listByAttempt(tenantId, attemptId)) {
        if (l.endedAt === null) await repos.launches.end(tenantId, l.id, { at: now });
      }
      const updated = await repos.attempts.updateSummary(tenantId, attemptId, {
        status: 'terminated',
        finishedAt: now,
      });
      if (!updated) throw new HttpProblem('ATTEMPT_NOT_FOUND', `The tenant has no attempt "${attemptId}".`);
      return updated;
    },
  };
}

/** The service `attemptService` returns. */
export type AttemptService = ReturnType<typeof attemptService>;
