import type { LrsStore, NewStatement, StatementRecord } from '@scormflow/lrs';
import { type Statement, statementsEquivalent } from '@scormflow/xapi';
import type BetterSqlite3 from 'better-sqlite3';
import type { CommitStatements, CommitStatementsError } from '../repositories.js';
import { assertNoNul } from '../shared.js';
import { assertStorable } from './keys.js';
import { sqliteLrsWriter } from './sqlite-lrs-store.js';

/** What a commit reports about its statements (see `CommitResult`). */
export type CommitStatementsOutcome =
  | { statementsWritten: number; statementsError?: undefined }
  | { statementsWritten: 0; statementsError: CommitStatementsError };

/**
 * Of a list whose insert conflicted on `ids`: the statements still to write (those whose stored
 * statement is equivalent are dropped), or the ids that exist with a different statement.
 */
function dropEquivalent(
  statements: readonly NewStatement[],
  ids: readonly string[],
  stored: readonly StatementRecord[],
): { ok: true; rest: NewStatement[] } | { ok: false; ids: string[] } {
  const byId = new Map(stored.map((record) => [record.id, record]));
  const different = ids.filter((id) => {
    const mine = statements.find((s) => s.id === id);
    const other = byId.get(id);
    return (
      !mine ||
      !other ||
      !statementsEquivalent(other.statement as unknown as Statement, mine.statement as unknown as Statement)
    );
  });
  if (different.length > 0) return { ok: false, ids: different };
  return { ok: true, rest: statements.filter((s) => !byId.has(s.id)) };
}

/**
 * Writes a commit's statements on SQLite, inside the commit's transaction (the caller is a work
 * item of the connection's write queue). Never throws: a failure rolls back the statements' own
 * savepoint and is reported.
 */
export function writeCommitStatementsSqlite(
  client: BetterSqlite3.Database,
  tenantId: string,
  xapi: CommitStatements,
): CommitStatementsOutcome {
  try {
    // What the store's `insertStatements` checks before writing.
    assertStorable(xapi.statements);
    if (xapi.activities?.length) {
      assertNoNul(
        xapi.activities.map((a) => a.id),
        'activity id',
      );
    }
    const writer = sqliteLrsWriter(client);
    const extras = xapi.activities?.length ? { activities: xapi.activities } : undefined;
    let statements = xapi.statements;
    // Nothing else writes inside this transaction: one comparison settles every conflict.
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = writer.write(tenantId, statements, extras);
      if (result.ok) return { statementsWritten: statements.length };
      const sorted = dropEquivalent(statements, result.ids, writer.read(tenantId, result.ids));
      if (!sorted.ok)
        return { statementsWritten: 0, statementsError: { reason: 'conflict', ids: sorted.ids } };
      statements = sorted.rest;
    }
    throw new Error('the statements still conflict after dropping the equivalent ones');
  } catch (error) {
    return { statementsWritten: 0, statementsError: { reason: 'failed', error } };
  }
}

/**
 * Writes a commit's statements through an LRS store (Postgres: after the commit, in a transaction
 * of their own). Never throws: a failure is reported.
 */
export async function writeCommitStatements(
  store: LrsStore,
  tenantId: string,
  xapi: CommitStatements,
): Promise<CommitStatementsOutcome> {
  const scope = { tenantId };
  try {
    const extras = xapi.activities?.length ? { activities: xapi.activities } : undefined;
    let statements = xapi.statements;
    // Another writer may store one of these ids between two tries.
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await store.insertStatements(scope, statements, extras);
      if (result.ok) return { statementsWritten: statements.length };
      const sorted = dropEquivalent(statements, result.ids, await store.getStatements(scope, result.ids));
      if (!sorted.ok)
        return { statementsWritten: 0, statementsError: { reason: 'conflict', ids: sorted.ids } };
      statements = sorted.rest;
    }
    throw new Error('the statements conflict with statements stored at the same time');
  } catch (error) {
    return { statementsWritten: 0, statementsError: { reason: 'failed', error } };
  }
}
