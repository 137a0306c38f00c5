import { type CmiState, type CommitDiff, eventsFromCommit } from '@scormflow/cmi';
import {
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
import { statementsFromLearningEvents } from '@scormflow/xapi/scorm';

/** The statement version the engine stores, as the LRS does for statements without one. */
const STORED_VERSION = '1.0.0';
/**
 * Root of tenant IRIs when the engine has no public base URL: `.invalid` is reserved (RFC 2606),
 * so these IRIs name the tenant without pointing anywhere.
 */
const NO_BASE_URL = 'https://scormflow.invalid';

/** One accepted runtime commit, with everything its statements are about. */
export interface ScormCommitContext {
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

function collectActivities(statement: Statement, into: Map<string, ActivityDefinition[]>): void {
  const add = (activity: unknown) => {
    if (typeof activity !== 'object' || activity === null) return;
    const a = activity as { objectType?: string; id?: unknown; definition?: ActivityDefinition };
    if ((a.objectType ?? 'Activity') !== 'Activity' || typeof a.id !== 'string' || !a.definition) return;
    const list = into.get(a.id) ?? [];
    list.push(a.definition);
    into.set(a.id, list);
  };
  add(statement.object);
  const ca = statement.context?.contextActivities;
  if (!ca) return;
  for (const list of [ca.parent, ca.grouping, ca.category, ca.other]) {
    for (const a of Array.isArray(list) ? list : list === undefined ? [] : [list]) add(a);
  }
}

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
  const { baseUrl } = options;
  const events = eventsFromCommit(commit.before, commit.diff, commit.after);
  const stored = commit.committedAt.toISOString();
  const made = statementsFromLearningEvents(events, {
    actor: learnerAgent(baseUrl, commit.tenantId, commit.learner),
    registration: commit.attemptId,
    course: {
      id: courseIri(baseUrl, commit.tenantId, commit.course.id),
      ...(commit.course.title ? { title: commit.course.title } : {}),
    },
    sco: {
      id: scoIri(baseUrl, commit.tenantId, commit.course.id, commit.item.identifier),
      ...(commit.item.title ? { title: commit.item.title } : {}),
    },
    platform: options.platform ?? 'ScormFlow',
    ...(options.language ? { language: options.language } : {}),
    timestamp: stored,
    version: commit.version,
  });
  const authority = engineAuthority(baseUrl, commit.tenantId);
  const definitions = new Map<string, ActivityDefinition[]>();
  const statements = made.map((s): NewStatement => {
    const statement: Statement = {
      ...s,
      context: {
        ...s.context,
        extensions: { ...s.context?.extensions, [COURSE_VERSION_EXTENSION]: commit.course.version },
      },
      stored,
      authority,
      version: STORED_VERSION,
    };
    collectActivities(statement, definitions);
    return {
      id: statement.id as string,
      statement: statement as unknown as JsonObject,
      stored,
      index: indexStatement(statement),
    };
  });
  const activities = [...definitions].map(([id, list]) => ({
    id,
    definition: list.reduce<ActivityDefinition>((merged, d) => mergeActivityDefinition(merged, d), {}),
  }));
  return { statements, activities };
}

/**
 * Stores the statements of {@link scormCommitStatements} in the tenant's LRS and merges their
 * activity definitions into the stored ones. Idempotent: when every id exists already (the commit
 * was written before) nothing changes; a partial conflict is reported, since the same commit always
 * gives the same ids.
 */
export async function writeScormStatements(
  store: LrsStore,
  scope: LrsScope,
  built: ScormCommitStatements,
): Promise<{ ok: true; written: number } | { ok: false; conflicts: readonly string[] }> {
  if (built.statements.length === 0) return { ok: true, written: 0 };
  const inserted = await store.insertStatements(scope, built.statements);
  if (!inserted.ok) {
    const existing = await store.getStatements(
      scope,
      built.statements.map((s) => s.id),
    );
    if (existing.length === built.statements.length) return { ok: true, written: 0 };
    return { ok: false, conflicts: inserted.ids };
  }
  const updates: { id: string; definition: JsonObject }[] = [];
  for (const { id, definition } of built.activities) {
    const current = (await store.getActivity(scope, id)) as ActivityDefinition | null;
    const merged = mergeActivityDefinition(current ?? undefined, definition);
    // Most commits repeat definitions the LRS holds already: only changed ones are written.
    if (current !== null && JSON.stringify(merged) === JSON.stringify(current)) continue;
    updates.push({ id, definition: merged as unknown as JsonObject });
  }
  if (updates.length > 0) await store.putActivities(scope, updates);
  return { ok: true, written: built.statements.length };
}
