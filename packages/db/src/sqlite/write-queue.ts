import type BetterSqlite3 from 'better-sqlite3';

/**
 * Group commit for one better-sqlite3 connection: the write work submitted in one turn of the event
 * loop runs in ONE transaction (`BEGIN IMMEDIATE ... COMMIT`, one WAL append) when the loop reaches
 * its check phase (`setImmediate`). Each piece of work runs in a savepoint of its own, so that one
 * that throws rolls back alone and rejects only its own caller; every caller is answered after the
 * COMMIT, and a COMMIT that fails rejects them all.
 */
export interface SqliteWriteQueue {
  /**
   * Runs `work` (synchronous, on this connection) in the next group transaction, in its own
   * savepoint. Resolves with its value once the group has committed; rejects with what it threw
   * (its savepoint rolled back, the others kept), or with the error of a failed BEGIN or COMMIT.
   * `afterCommit`, when given, runs synchronously right after the COMMIT, only when `work`
   * returned (its savepoint was released), before any caller is answered: the place to cache
   * what the transaction made, since it now exists for every later transaction.
   */
  run<T>(work: () => T, afterCommit?: (value: T) => void): Promise<T>;
}

interface Item {
  work: () => unknown;
  afterCommit: ((value: unknown) => void) | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const queues = new WeakMap<BetterSqlite3.Database, SqliteWriteQueue>();

/**
 * The write queue of a connection, made once per connection and shared by every writer of it (the
 * repositories, the LRS store), so that their writes of one turn share a COMMIT.
 */
export function sqliteWriteQueue(client: BetterSqlite3.Database): SqliteWriteQueue {
  let queue = queues.get(client);
  if (!queue) {
    queue = createQueue(client);
    queues.set(client, queue);
  }
  return queue;
}

function createQueue(client: BetterSqlite3.Database): SqliteWriteQueue {
  let pending: Item[] = [];
  // Made on first flush: a better-sqlite3 transaction function called inside another transaction
  // runs in a savepoint.
  let one: BetterSqlite3.Transaction<(work: () => unknown) => unknown> | undefined;
  let group: BetterSqlite3.Transaction<(items: Item[]) => Outcome[]> | undefined;

  const flush = () => {
    const items = pending;
    pending = [];
    one ??= client.transaction((work: () => unknown) => work());
    const savepoint = one;
    group ??= client.transaction((list: Item[]) =>
      list.map((item): Outcome => {
        try {
          return { ok: true, value: savepoint(item.work) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    let outcomes: Outcome[];
    try {
      outcomes = group.immediate(items);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    // Committed: what each released savepoint wrote exists now.
    for (const [i, item] of items.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok && item.afterCommit) {
        try {
          item.afterCommit(outcome.value);
        } catch (error) {
          outcomes[i] = { ok: false, error };
        }
      }
    }
    for (const [i, item] of items.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    }
  };

  return {
    run<T>(work: () => T, afterCommit?: (value: T) => void): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({
          work,
          afterCommit: afterCommit as ((value: unknown) => void) | undefined,
          resolve: resolve as (value: unknown) => void,
          reject,
        });
      });
    },
  };
}
