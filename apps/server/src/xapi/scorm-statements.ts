import { type CmiState, type CommitDiff, eventsFromCommit } from '@scormflow/cmi';
import {
  type ActivityDefinitionUpdate,
  indexStatement,
  type JsonObject,
  type LrsScope,
  type LrsStore,
  type NewStatement,
} from '@scormflow/lrs';
import {
  type ActivityDefinition,
  type Agent,
  mergeActivityDefinition,
  type Statement,
} from '@scormflow/xapi';
import { scormStatementMapper } from '@scormflow/xapi/scorm';

/** The statement version the engine stores, as the LRS does for statements without one. */
const STORED_VERSION = '1.0.0';
/**
 * Root of tenant IRIs when the engine has no public base URL: `.invalid` is reserved (RFC 2606),
 * so these IRIs name the tenant without pointing anywhere.
 */
const NO_BASE_URL = 'https://scormflow.invalid';

/** One SCO session of an attempt: what the statements of all its commits share. */
export interface ScormSessionContext {
  tenantId: string;
  /** The attempt: its id is the statements' `context.registration` (a UUID). */
  attemptId: string;
  /** The learner as the tenant knows them: `externalId` becomes the account name. */
  learner: { externalId: string; name?: string | null };
  /** The course version the attempt runs. */
  course: { id: string; version: number; title?: string };
  /** The SCO the commit belongs to. */
  item: { identifier: string; title?: string };
  /** SCORM version of the values (`@scormflow/cmi`'s `'1.2' | '2004'`). */
  version: '1.2' | '2004';
}

/** One accepted runtime commit, with everything its statements are about. */
export interface ScormCommitContext extends ScormSessionContext {
  /** The SCO's state before the commit, the commit itself, and the state after it. */
  before: CmiState;
  diff: CommitDiff;
  after: CmiState;
  /** When the engine accepted the commit: `stored` and `timestamp` of the statements. */
  committedAt: Date;
}

/** Options of {@link scormCommitStatements}. */
export interface ScormStatementsOptions {
  /**
   * The engine's public base URL (`apiBaseUrl`, without a trailing slash), or `''` when the
   * engine has none: IRIs are then under `https://scormflow.invalid`.
   */
  baseUrl: string;
  /** `context.platform` (default `ScormFlow`). */
  platform?: string;
  /** `context.language` and the language of titles (RFC 5646); `und` when absent. */
  language?: string;
}

/** The statements of one commit, ready for `LrsStore.insertStatements`, and their activities. */
export interface ScormCommitStatements {
  statements: NewStatement[];
  /** Activity definitions the statements carry, per activity id, in statement order. */
  activities: { id: string; definition: ActivityDefinition }[];
}

const segment = (value: string): string => encodeURIComponent(value);

/**
 * The IRI of a tenant: `<baseUrl>/tenants/<tenantId>`, the root of its course and SCO IRIs and
 * the `homePage` of its learners' accounts when the engine has no public base URL.
 */
export function tenantIri(baseUrl: string, tenantId: string): string {
  return `${baseUrl === '' ? NO_BASE_URL : baseUrl}/tenants/${segment(tenantId)}`;
}

/**
 * The Activity IRI of a course: `<tenant IRI>/courses/<courseId>`. It is the same for every
 * version of the course, so that one `activity` query (with `related_activities`) finds a
 * learner's history across versions; the version is in the statement's context extension
 * {@link COURSE_VERSION_EXTENSION}.
 */
export function courseIri(baseUrl: string, tenantId: string, courseId: string): string {
  return `${tenantIri(baseUrl, tenantId)}/courses/${segment(courseId)}`;
}

/** The Activity IRI of a SCO: `<course IRI>/scos/<item identifier>`. */
export function scoIri(baseUrl: string, tenantId: string, courseId: string, identifier: string): string {
  return `${courseIri(baseUrl, tenantId, courseId)}/scos/${segment(identifier)}`;
}

/** Context extension with the course version (an integer) a statement was made in. */
export const COURSE_VERSION_EXTENSION = 'https://scormflow.dev/xapi/extensions/course-version';

/**
 * The learner's Agent: an account whose `homePage` is the engine's base URL (or the tenant IRI
 * when there is none) and whose `name` is the learner's external id.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2424-account-object
 */
export function learnerAgent(
  baseUrl: string,
  tenantId: string,
  learner: { externalId: string; name?: string | null },
): Agent {
  return {
    objectType: 'Agent',
    ...(learner.name ? { name: learner.name } : {}),
    account: { homePage: baseUrl === '' ? tenantIri(baseUrl, tenantId) : baseUrl, name: learner.externalId },
  };
}

/** The `authority` of statements the engine makes itself from SCORM runtime data. */
export function engineAuthority(baseUrl: string, tenantId: string): Agent {
  return {
    objectType: 'Agent',
    name: 'ScormFlow SCORM runtime',
    account: { homePage: tenantIri(baseUrl, tenantId), name: 'scormflow-runtime' },
  };
}

/** Adds the definition of `activity`, when it is an Activity with one, to its id's list. */
function addActivity(activity: unknown, into: Map<string, ActivityDefinition[]>): void {
  if (typeof activity !== 'object' || activity === null) return;
  const a = activity as { objectType?: string; id?: unknown; definition?: ActivityDefinition };
  if ((a.objectType ?? 'Activity') !== 'Activity' || typeof a.id !== 'string' || !a.definition) return;
  const list = into.get(a.id);
  // The session's course, SCO and profile Activities are one object in every statement.
  if (!list) into.set(a.id, [a.definition]);
  else if (!list.includes(a.definition)) list.push(a.definition);
}

/** The definitions of the Activities of `statement` (object and context activities), per id. */
function collectActivities(statement: Statement, into: Map<string, ActivityDefinition[]>): void {
  addActivity(statement.object, into);
  const ca = statement.context?.contextActivities;
  if (!ca) return;
  for (const list of [ca.parent, ca.grouping, ca.category, ca.other]) {
    if (list === undefined) continue;
    if (Array.isArray(list)) for (const a of list) addActivity(a, into);
    else addActivity(list, into);
  }
}

/** The statements of one commit of a session (see {@link scormSessionStatements}). */
export type ScormCommitStatementsOf = (
  before: CmiState,
  diff: CommitDiff,
  after: CmiState,
  committedAt: Date,
) => ScormCommitStatements;

/**
 * The xAPI statements of one accepted SCORM runtime commit: the learning events of the commit
 * (`eventsFromCommit` of `@scormflow/cmi`) in the ADL SCORM profile vocabulary
 * (`statementsFromLearningEvents` of `@scormflow/xapi/scorm`), completed as the LRS completes
 * what it stores: `stored` and `timestamp` are the commit time, `version` is 1.0.0, `authority`
 * the engine's runtime agent, and each carries its filter index. Statement ids are name-based
 * UUIDs of (attempt, SCO, seq, position), so a replayed commit yields the same ids. Pure.
 * @see https://github.com/adlnet/xAPI-SCORM-Profile/blob/master/xapi-scorm-profile.md
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#stored
 */
export function scormCommitStatements(
  commit: ScormCommitContext,
  options: ScormStatementsOptions,
): ScormCommitStatements {
  return scormSessionStatements(commit, options)(
    commit.before,
    commit.diff,
    commit.after,
    commit.committedAt,
  );
}

/**
 * {@link scormCommitStatements} for the commits of one SCO session: the session's actor, IRIs,
 * Activities and context are made and checked once, so that each commit only maps its own events.
 * `scormSessionStatements(session, options)(before, diff, after, at)` equals
 * `scormCommitStatements({ ...session, before, diff, after, committedAt: at }, options)`.
 * Statements of one session share their frozen context and Activity objects.
 * @see https://github.com/adlnet/xAPI-SCORM-Profile/blob/master/xapi-scorm-profile.md#32-general-guidance-on-statements
 */
export function scormSessionStatements(
  session: ScormSessionContext,
  options: ScormStatementsOptions,
): ScormCommitStatementsOf {
  const { baseUrl } = options;
  const map = scormStatementMapper({
    actor: learnerAgent(baseUrl, session.tenantId, session.learner),
    registration: session.attemptId,
    course: {
      id: courseIri(baseUrl, session.tenantId, session.course.id),
      ...(session.course.title ? { title: session.course.title } : {}),
    },
    sco: {
      id: scoIri(baseUrl, session.tenantId, session.course.id, session.item.identifier),
      ...(session.item.title ? { title: session.item.title } : {}),
    },
    platform: options.platform ?? 'ScormFlow',
    ...(options.language ? { language: options.language } : {}),
    version: session.version,
    extensions: { [COURSE_VERSION_EXTENSION]: session.course.version },
  });
  const authority = Object.freeze(engineAuthority(baseUrl, session.tenantId));
  Object.freeze(authority.account);
  return (before, diff, after, committedAt) => {
    const events = eventsFromCommit(before, diff, after);
    if (events.length === 0) return { statements: [], activities: [] };
    const stored = committedAt.toISOString();
    const definitions = new Map<string, ActivityDefinition[]>();
    const mapped = map(events, stored);
    const statements: NewStatement[] = new Array(mapped.length);
    for (let i = 0; i < mapped.length; i++) {
      const statement = mapped[i]!;
      // Same members, in the same order, as the LRS completes a statement it stores.
      statement.stored = stored;
      statement.authority = authority;
      statement.version = STORED_VERSION;
      collectActivities(statement, definitions);
      statements[i] = {
        id: statement.id as string,
        statement: statement as unknown as JsonObject,
        stored,
        index: indexStatement(statement),
      };
    }
    const activities: ScormCommitStatements['activities'] = [];
    for (const [id, list] of definitions) {
      activities.push({
        id,
        definition:
          list.length === 1
            ? list[0]!
            : list.reduce<ActivityDefinition>((merged, d) => mergeActivityDefinition(merged, d), {}),
      });
    }
    return { statements, activities };
  };
}

/**
 * Activity definitions a process knows its LRS holds, merged into the stored definition, per
 * tenant and Activity id: a commit that brings one of them again needs neither a read nor a
 * write of that Activity. Only a memo of this process's own reads and writes: the LRS stays the
 * record, and a definition another process changed since is not written back over.
 */
export interface ActivityMemo {
  has(tenantId: string, id: string, definition: ActivityDefinition): boolean;
  add(tenantId: string, id: string, definition: ActivityDefinition): void;
}

/** Definitions an {@link ActivityMemo} keeps before it starts afresh. */
export const ACTIVITY_MEMO_SIZE = 10_000;

/** An {@link ActivityMemo} of at most `limit` definitions. */
export function createActivityMemo(limit: number = ACTIVITY_MEMO_SIZE): ActivityMemo {
  const known = new Set<string>();
  // Frozen definitions (a session's course and SCO) are serialised once.
  const texts = new WeakMap<ActivityDefinition, string>();
  const keyOf = (tenantId: string, id: string, definition: ActivityDefinition) => {
    let text = texts.get(definition);
    if (text === undefined) {
      text = JSON.stringify(definition);
      if (Object.isFrozen(definition)) texts.set(definition, text);
    }
    return `${tenantId}\u0000${id}\u0000${text}`;
  };
  return {
    has: (tenantId, id, definition) => known.has(keyOf(tenantId, id, definition)),
    add(tenantId, id, definition) {
      if (known.size >= limit) known.clear();
      known.add(keyOf(tenantId, id, definition));
    },
  };
}

/**
 * The activity definitions of `activities` to merge into the tenant's stored ones: those the
 * `memo` does not know the LRS holds already, each definition object once (the statements of one
 * session share their course, SCO and profile Activities).
 */
function definitionsToMerge(
  tenantId: string,
  activities: ScormCommitStatements['activities'],
  memo: ActivityMemo | undefined,
): ScormCommitStatements['activities'] {
  const out: ScormCommitStatements['activities'] = [];
  const seen = new Map<string, ActivityDefinition[]>();
  for (const activity of activities) {
    const { id, definition } = activity;
    const list = seen.get(id);
    if (list?.includes(definition)) continue;
    if (list) list.push(definition);
    else seen.set(id, [definition]);
    if (memo?.has(tenantId, id, definition)) continue;
    out.push(activity);
  }
  return out;
}

/**
 * Stores the statements of {@link scormCommitStatements} in the tenant's LRS with the activity
 * definitions they carry: the store merges those into the stored ones (`mergeActivityDefinition`,
 * in order) in the insert's own transaction and only when the statements are stored, so that
 * concurrent merges of one Activity all land. With a `memo`, definitions it knows the LRS holds
 * are not sent, and those of a stored insert are added to it. Idempotent: when every id exists
 * already (the commit was written before) nothing changes; a partial conflict is reported, since
 * the same commit always gives the same ids.
 */
export async function writeScormStatements(
  store: LrsStore,
  scope: LrsScope,
  built: ScormCommitStatements,
  memo?: ActivityMemo,
): Promise<{ ok: true; written: number } | { ok: false; conflicts: readonly string[] }> {
  if (built.statements.length === 0) return { ok: true, written: 0 };
  const merge = definitionsToMerge(scope.tenantId, built.activities, memo);
  const inserted = await store.insertStatements(
    scope,
    built.statements,
    merge.length > 0 ? { activities: merge as unknown as ActivityDefinitionUpdate[] } : undefined,
  );
  if (!inserted.ok) {
    const existing = await store.getStatements(
      scope,
      built.statements.map((s) => s.id),
    );
    if (existing.length === built.statements.length) return { ok: true, written: 0 };
    return { ok: false, conflicts: inserted.ids };
  }
  if (memo) for (const { id, definition } of merge) memo.add(scope.tenantId, id, definition);
  return { ok: true, written: built.statements.length };
}
