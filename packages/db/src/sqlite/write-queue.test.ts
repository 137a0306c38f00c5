import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteWriteQueue } from './write-queue.js';

const dirs: string[] = [];
const clients: BetterSqlite3.Database[] = [];

function freshClient(): BetterSqlite3.Database {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-write-queue-'));
  dirs.push(dir);
  const client = new BetterSqlite3(join(dir, 'db.sqlite'));
  client.pragma('journal_mode = WAL');
  client.exec('create table t (v integer primary key)');
  clients.push(client);
  return client;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const values = (client: BetterSqlite3.Database) =>
  client.prepare('select v from t order by v').pluck().all() as number[];

/** Counts the transactions that commit on a connection (SQLite's commit hook is not exposed). */
function countCommits(client: BetterSqlite3.Database): { readonly count: number } {
  const counter = { count: 0 };
  const original = client.transaction.bind(client);
  // Every group runs through a transaction function made by the queue on its first flush.
  client.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const made = original(fn);
    const wrap = (mode: 'default' | 'immediate') => {
      const run = mode === 'default' ? made : made.immediate;
      return (...args: unknown[]) => {
        const outer = !client.inTransaction;
        const result = run(...args);
        if (outer) counter.count++;
        return result;
      };
    };
    return Object.assign(wrap('default'), {
      default: wrap('default'),
      immediate: wrap('immediate'),
      deferred: made.deferred,
      exclusive: made.exclusive,
    });
  }) as typeof client.transaction;
  return counter;
}

describe('sqliteWriteQueue', () => {
  it('is one queue per connection', () => {
    const a = freshClient();
    const b = freshClient();
    expect(sqliteWriteQueue(a)).toBe(sqliteWriteQueue(a));
    expect(sqliteWriteQueue(a)).not.toBe(sqliteWriteQueue(b));
  });

  it('runs the work of one turn in one transaction and answers after it has committed', async () => {
    const client = freshClient();
    const commits = countCommits(client);
    const queue = sqliteWriteQueue(client);
    const insert = client.prepare('insert into t (v) values (?)');
    const seenByCallers: number[][] = [];
    const runs = [1, 2, 3].map((v) =>
      queue
        .run(() => insert.run(v).changes)
        .then((changes) => {
          // Answered after COMMIT: a second connection already sees every row of the group.
          const other = new BetterSqlite3(client.name, { readonly: true });
          seenByCallers.push(values(other));
          other.close();
          return changes;
        }),
    );
    expect(values(client)).toEqual([]);
    expect(await Promise.all(runs)).toEqual([1, 1, 1]);
    expect(commits.count).toBe(1);
    expect(seenByCallers).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    await queue.run(() => insert.run(4));
    expect(commits.count).toBe(2);
  });

  it('rolls back only the work that throws and rejects only its caller', async () => {
    const client = freshClient();
    const queue = sqliteWriteQueue(client);
    const insert = client.prepare('insert into t (v) values (?)');
    const committed: string[] = [];
    const results = await Promise.allSettled([
      queue.run(
        () => insert.run(1),
        () => committed.push('first'),
      ),
      queue.run(
        () => {
          insert.run(2);
          insert.run(1); // primary key conflict: this work's row 2 goes too
        },
        () => committed.push('second'),
      ),
      queue.run(
        () => insert.run(3),
        () => committed.push('third'),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    });
    expect(values(client)).toEqual([1, 3]);
    expect(committed).toEqual(['first', 'third']);
  });

  it('calls afterCommit before any caller is answered, and work submitted meanwhile waits for the next group', async () => {
    const client = freshClient();
    const commits = countCommits(client);
    const queue = sqliteWriteQueue(client);
    const insert = client.prepare('insert into t (v) values (?)');
    const events: string[] = [];
    let inner: Promise<unknown> | undefined;
    const first = queue.run(
      () => {
        inner = queue.run(() => insert.run(20));
        return insert.run(10).changes;
      },
      () => events.push('after 1'),
    );
    const second = queue.run(
      () => insert.run(11).changes,
      () => events.push('after 2'),
    );
    await Promise.all([
      first.then(() => events.push('answer 1')),
      second.then(() => events.push('answer 2')),
    ]);
    expect(events).toEqual(['after 1', 'after 2', 'answer 1', 'answer 2']);
    expect(values(client)).toEqual([10, 11]);
    await inner;
    expect(values(client)).toEqual([10, 11, 20]);
    expect(commits.count).toBe(2);
  });

  it('rejects every caller of a group whose transaction cannot begin, and writes nothing', async () => {
    const client = freshClient();
    const queue = sqliteWriteQueue(client);
    const insert = client.prepare('insert into t (v) values (?)');
    // Another connection holds the write lock: BEGIN IMMEDIATE fails once the busy timeout ends.
    client.pragma('busy_timeout = 0');
    const other = new BetterSqlite3(client.name);
    other.exec('begin immediate');
    const results = await Promise.allSettled([
      queue.run(() => insert.run(1)),
      queue.run(() => insert.run(2)),
    ]);
    other.exec('rollback');
    other.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(values(client)).toEqual([]);
    // The queue works again afterwards.
    await queue.run(() => insert.run(3));
    expect(values(client)).toEqual([3]);
  });

  it('rejects every caller when the COMMIT fails, and caches nothing', async () => {
    const client = freshClient();
    client.exec(`create table parent (id integer primary key);
      create table child (parent_id integer references parent (id) deferrable initially deferred)`);
    client.pragma('foreign_keys = ON');
    const queue = sqliteWriteQueue(client);
    const after: number[] = [];
    // A deferred foreign key is checked at COMMIT: the group's COMMIT fails for every item.
    const results = await Promise.allSettled([
      queue.run(
        () => client.prepare('insert into t (v) values (1)').run(),
        () => after.push(1),
      ),
      queue.run(
        () => client.prepare('insert into child (parent_id) values (42)').run(),
        () => after.push(2),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
    });
    expect(after).toEqual([]);
    expect(values(client)).toEqual([]);
    expect(client.inTransaction).toBe(false);
  });
});
