import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommitInput,
  type CreateCourseInput,
  type Database,
  hashApiKey,
  isDbError,
  migrate,
  type OpenDatabaseOptions,
  openDatabase,
  type Repositories,
} from '../src/index.js';
import { raceCommitsInProcesses } from './racing-processes.js';

/** An empty database for the suite: its URL, and how to remove it after every connection closed. */
export interface SuiteDatabase {
  url: string;
  dispose?(): Promise<void>;
}

/** How the suite gets its database; `setup` runs only when the suite runs (not when skipped or filtered). */
export interface SuiteTarget {
  setup(): Promise<SuiteDatabase>;
  options?: OpenDatabaseOptions;
}

const COURSE_MODEL = {
  identifier: 'MANIFEST-1',
  organizations: [{ identifier: 'ORG', title: 'Golf', items: [{ identifier: 'I1', children: [] }] }],
  metadata: { schemaversion: '2004 4th Edition', nested: { list: [1, 2.5, null, true, 'x'] } },
};

function courseInput(title: string, extra: Partial<CreateCourseInput> = {}): CreateCourseInput {
  return {
    kind: 'scorm',
    scormVersion: '2004-4th',
    title,
    diagnostics: [{ code: 'W_EXAMPLE', severity: 'warning', message: 'an example' }],
    model: COURSE_MODEL,
    storagePrefix: `tenants/t/courses/${title}/1/`,
    size: 5_000_000_000,
    items: [
      { identifier: 'ORG', title: 'Golf', isSco: false, depth: 0 },
      {
        identifier: 'I1',
        parentIdentifier: 'ORG',
        title: 'Playing',
        resourceId: 'R1',
        launchUrl: 'playing/index.html?x=1',
        isSco: true,
        depth: 1,
        data: { masteryScore: 80, completionThreshold: 0.75 },
      },
      {
        identifier: 'I2',
        parentIdentifier: 'ORG',
        title: 'Etiquette',
        resourceId: 'R2',
        isSco: true,
        depth: 1,
      },
    ],
    ...extra,
  };
}

function commitInput(n: number, extra: Partial<CommitInput> = {}): CommitInput {
  return {
    state: { 'cmi.location': `page-${n}`, 'cmi.suspend_data': 'x'.repeat(n) },
    diff: { 'cmi.location': `page-${n}` },
    scormVersion: '2004-4th',
    ...extra,
  };
}

/**
 * The repository conformance suite: every repository method, tenant isolation, the sequenced commit
 * (including concurrent writers), cascade delete, pagination and idempotent migrations. Run once per
 * dialect.
 */
export function describeRepositories(name: string, resolved: SuiteTarget | { skip: string }): void {
  const skip = 'skip' in resolved ? resolved.skip : undefined;

  describe.skipIf(skip !== undefined)(`repositories on ${name}`, () => {
    let db: Database;
    let repos: Repositories;
    const opened: Database[] = [];
    const target = resolved as SuiteTarget;
    let suite: SuiteDatabase;

    const open = (): Database => {
      const connection = openDatabase(suite.url, target.options);
      opened.push(connection);
      return connection;
    };

    beforeAll(async () => {
      suite = await target.setup();
      db = open();
      await migrate(db);
      await migrate(db);
      repos = db.repos;
    });

    afterAll(async () => {
      for (const connection of opened) await connection.close();
      await suite.dispose?.();
    });

    /** Two tenants, each with a learner and a course. */
    async function twoTenants() {
      const a = await repos.tenants.create({ name: 'Tenant A' });
      const b = await repos.tenants.create({ name: 'Tenant B' });
      const learnerA = await repos.learners.upsert(a.id, { externalId: 'learner-1', name: 'Ada' });
      const learnerB = await repos.learners.upsert(b.id, { externalId: 'learner-1', name: 'Bob' });
      const courseA = await repos.courses.create(a.id, courseInput('golf'));
      const courseB = await repos.courses.create(b.id, courseInput('golf'));
      return { a, b, learnerA, learnerB, courseA, courseB };
    }

    async function attemptFor(tenantId: string, courseId: string, version: number, learnerId: string) {
      const attempt = await repos.attempts.create(tenantId, { courseId, courseVersion: version, learnerId });
      if (!attempt) throw new Error('attempt not created');
      return attempt;
    }

    async function migrationCount(database: Database): Promise<number> {
      if (database.dialect === 'sqlite') {
        const row = database.drizzle.get<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`);
        return Number(row.n);
      }
      const rows = await database.drizzle.execute<{ n: string }>(
        sql`select count(*) as n from drizzle.__drizzle_migrations`,
      );
      return Number(rows[0]?.n);
    }

    describe('migrations, constraints and connection', () => {
      it('applies the migrations once, and again as a no-op that keeps the data', async () => {
        const tenant = await repos.tenants.create({ name: 'kept' });
        const before = await migrationCount(db);
        expect(before).toBeGreaterThanOrEqual(1);
        await migrate(db);
        expect(await migrationCount(db)).toBe(before);
        expect(await repos.tenants.get(tenant.id)).toEqual(tenant);
      });

      it('rejects a migrations folder without a journal', async () => {
        const error = await migrate(db, { migrationsFolder: '/nonexistent/drizzle' }).catch(
          (e: unknown) => e,
        );
        expect(isDbError(error)).toBe(true);
        expect((error as { code: string }).code).toBe('DB_MIGRATION_FAILED');
      });

      it('enforces closed value sets and ranges with CHECK constraints', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const bad = [
          sql`update attempt set status = 'paused' where id = ${attempt.id}`,
          sql`update attempt set total_time_cs = -1 where id = ${attempt.id}`,
          sql`update course set kind = 'aicc' where id = ${courseA.id}`,
          sql`update course set size = -5 where id = ${courseA.id}`,
          sql`update api_key set role = 'root' where tenant_id = ${a.id}`,
        ];
        await repos.apiKeys.create(a.id, { name: 'k', role: 'member' });
        for (const [i, statement] of bad.entries()) {
          const error = await (async () =>
            db.dialect === 'sqlite' ? db.drizzle.run(statement) : await db.drizzle.execute(statement))().then(
            () => null,
            (e: unknown) => e,
          );
          const messages: string[] = [];
          for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
          expect(messages.join(' / '), `statement ${i}`).toMatch(/check constraint/i);
        }
        expect((await repos.attempts.get(a.id, attempt.id))?.status).toBe('active');
      });

      it('answers ping', async () => {
        await expect(db.ping()).resolves.toBeUndefined();
      });
    });

    describe('tenants', () => {
      it('creates and gets a tenant, with a given or generated id', async () => {
        const t = await repos.tenants.create({ name: 'Acme' });
        expect(t.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(t.createdAt).toBeInstanceOf(Date);
        expect(await repos.tenants.get(t.id)).toEqual(t);
        const fixed = await repos.tenants.create({ name: 'Fixed', id: `fixed-${t.id}` });
        expect(fixed.id).toBe(`fixed-${t.id}`);
        expect(await repos.tenants.get('no-such-tenant')).toBeNull();
      });
    });

    describe('api keys', () => {
      it('stores only the hash of the secret and finds the key by it', async () => {
        const { a } = await twoTenants();
        const { key, secret } = await repos.apiKeys.create(a.id, { name: 'ci', role: 'admin' });
        expect(secret.length).toBeGreaterThanOrEqual(40);
        expect(key.hash).toBe(hashApiKey(secret));
        expect(Object.values(key)).not.toContain(secret);
        expect(secret.startsWith(key.prefix)).toBe(true);
        expect(key.prefix.length).toBeLessThan(secret.length / 2);
        expect(key).toMatchObject({
          tenantId: a.id,
          name: 'ci',
          role: 'admin',
          lastUsedAt: null,
          revokedAt: null,
        });
        expect(await repos.apiKeys.findByHash(hashApiKey(secret))).toEqual(key);
        expect(await repos.apiKeys.findByHash(hashApiKey(`${secret}x`))).toBeNull();
      });

      it('lists, touches and revokes keys of the tenant only', async () => {
        const { a, b } = await twoTenants();
        const k1 = await repos.apiKeys.create(a.id, { name: 'one', role: 'admin' });
        const k2 = await repos.apiKeys.create(a.id, { name: 'two', role: 'member' });
        const kb = await repos.apiKeys.create(b.id, { name: 'b', role: 'member' });
        expect((await repos.apiKeys.list(a.id)).map((k) => k.id).sort()).toEqual(
          [k1.key.id, k2.key.id].sort(),
        );
        expect((await repos.apiKeys.list(b.id)).map((k) => k.id)).toEqual([kb.key.id]);

        const at = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
        await repos.apiKeys.touchLastUsed(b.id, k1.key.id, at);
        expect((await repos.apiKeys.findByHash(k1.key.hash))?.lastUsedAt).toBeNull();
        await repos.apiKeys.touchLastUsed(a.id, k1.key.id, at);
        expect((await repos.apiKeys.findByHash(k1.key.hash))?.lastUsedAt).toEqual(at);

        expect(await repos.apiKeys.revoke(b.id, k1.key.id)).toBe(false);
        expect(await repos.apiKeys.findByHash(k1.key.hash)).not.toBeNull();
        expect(await repos.apiKeys.revoke(a.id, k1.key.id)).toBe(true);
        expect(await repos.apiKeys.revoke(a.id, k1.key.id)).toBe(false);
        expect(await repos.apiKeys.findByHash(k1.key.hash)).toBeNull();
        const listed = await repos.apiKeys.list(a.id);
        expect(listed.find((k) => k.id === k1.key.id)?.revokedAt).toBeInstanceOf(Date);
        expect(listed.find((k) => k.id === k2.key.id)?.revokedAt).toBeNull();
      });
    });

    describe('learners', () => {
      it('upserts by external id within the tenant', async () => {
        const { a, b, learnerA, learnerB } = await twoTenants();
        expect(learnerA.id).not.toBe(learnerB.id);
        const again = await repos.learners.upsert(a.id, { externalId: 'learner-1', name: 'Ada L.' });
        expect(again.id).toBe(learnerA.id);
        expect(again.name).toBe('Ada L.');
        const keep = await repos.learners.upsert(a.id, { externalId: 'learner-1' });
        expect(keep.name).toBe('Ada L.');
        expect((await repos.learners.get(b.id, learnerB.id))?.name).toBe('Bob');
        expect(await repos.learners.findByExternalId(a.id, 'learner-1')).toMatchObject({ id: learnerA.id });
        expect(await repos.learners.get(b.id, learnerA.id)).toBeNull();
        expect(await repos.learners.findByExternalId(a.id, 'nobody')).toBeNull();
      });
    });

    describe('courses', () => {
      it('stores a course with its item tree and JSON intact', async () => {
        const { a, courseA } = await twoTenants();
        expect(courseA).toMatchObject({
          version: 1,
          kind: 'scorm',
          scormVersion: '2004-4th',
          size: 5_000_000_000,
        });
        const got = await repos.courses.get(a.id, courseA.id);
        expect(got).toEqual(courseA);
        expect(got?.model).toEqual(COURSE_MODEL);
        expect(got?.diagnostics).toEqual(courseInput('x').diagnostics);
        const items = await repos.courses.items(a.id, courseA.id, 1);
        expect(items.map((i) => [i.identifier, i.parentIdentifier, i.ordinal, i.depth, i.isSco])).toEqual([
          ['ORG', null, 0, 0, false],
          ['I1', 'ORG', 1, 1, true],
          ['I2', 'ORG', 2, 1, true],
        ]);
        expect(items[1]).toMatchObject({
          launchUrl: 'playing/index.html?x=1',
          resourceId: 'R1',
          data: { masteryScore: 80, completionThreshold: 0.75 },
        });
        expect(items[0]?.data).toEqual({});
      });

      it('stores JSON as JSON values that SQL can query, not as strings', async () => {
        const { a, courseA } = await twoTenants();
        const query =
          db.dialect === 'sqlite'
            ? db.drizzle.all<{ model: string; title: unknown; data: string; mastery: unknown }>(
                sql`select json_type(c.model) as model, json_extract(c.model, '$.organizations[0].title') as title,
                    json_type(i.data) as data, json_extract(i.data, '$.masteryScore') as mastery
                    from course c join course_item i on i.course_id = c.id and i.course_version = c.version
                    where c.id = ${courseA.id} and c.tenant_id = ${a.id} and i.identifier = 'I1'`,
              )
            : db.drizzle.execute<{ model: string; title: unknown; data: string; mastery: unknown }>(
                sql`select jsonb_typeof(c.model) as model, c.model #>> '{organizations,0,title}' as title,
                    jsonb_typeof(i.data) as data, (i.data ->> 'masteryScore')::int as mastery
                    from course c join course_item i on i.course_id = c.id and i.course_version = c.version
                    where c.id = ${courseA.id} and c.tenant_id = ${a.id} and i.identifier = 'I1'`,
              );
        const rows = [...(await query)];
        expect(rows).toEqual([{ model: 'object', title: 'Golf', data: 'object', mastery: 80 }]);
      });

      it('numbers versions and returns the latest unless asked', async () => {
        const { a, b, courseA } = await twoTenants();
        expect(await repos.courses.nextVersion(a.id, courseA.id)).toBe(2);
        expect(await repos.courses.nextVersion(a.id, 'unknown')).toBe(1);
        expect(await repos.courses.nextVersion(b.id, courseA.id)).toBe(1);
        const v2 = await repos.courses.create(a.id, courseInput('golf v2', { id: courseA.id }));
        expect(v2).toMatchObject({ id: courseA.id, version: 2, title: 'golf v2' });
        expect((await repos.courses.get(a.id, courseA.id))?.version).toBe(2);
        expect((await repos.courses.get(a.id, courseA.id, 1))?.title).toBe('golf');
        expect(await repos.courses.get(a.id, courseA.id, 3)).toBeNull();
        expect(await repos.courses.nextVersion(a.id, courseA.id)).toBe(3);
        const page = await repos.courses.list(a.id);
        expect(page.items.map((c) => [c.id, c.version])).toEqual([[courseA.id, 2]]);
        expect(await repos.courses.items(a.id, courseA.id, 2)).toHaveLength(3);
      });

      it('creates a course and its items in one transaction', async () => {
        const { a } = await twoTenants();
        const duplicate = courseInput('broken', { id: `broken-${a.id}` });
        duplicate.items.push({ identifier: 'I1', title: 'again', isSco: true, depth: 1 });
        await expect(repos.courses.create(a.id, duplicate)).rejects.toThrow();
        expect(await repos.courses.get(a.id, `broken-${a.id}`)).toBeNull();
        expect(await repos.courses.items(a.id, `broken-${a.id}`, 1)).toEqual([]);
      });

      it('paginates newest first with an opaque cursor', async () => {
        const t = await repos.tenants.create({ name: 'paging' });
        const created = [];
        for (let i = 0; i < 7; i++) created.push(await repos.courses.create(t.id, courseInput(`c${i}`)));
        const expected = [...created]
          .sort(
            (x, y) =>
              y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0),
          )
          .map((c) => c.id);
        const seen: string[] = [];
        const sizes: number[] = [];
        let cursor: string | null = null;
        do {
          const page = await repos.courses.list(t.id, { limit: 3, cursor });
          sizes.push(page.items.length);
          seen.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(sizes).toEqual([3, 3, 1]);
        expect(seen).toEqual(expected);
        const exact = await repos.courses.list(t.id, { limit: 7 });
        expect(exact.items).toHaveLength(7);
        expect(exact.nextCursor).toBeNull();

        const other = await repos.tenants.create({ name: 'other' });
        const first = await repos.courses.list(t.id, { limit: 1 });
        expect((await repos.courses.list(other.id, { cursor: first.nextCursor })).items).toEqual([]);

        const error = await repos.courses.list(t.id, { cursor: 'not-a-cursor' }).catch((e: unknown) => e);
        expect(isDbError(error) && error.code).toBe('DB_INVALID_CURSOR');
        await expect(repos.courses.list(t.id, { limit: 0 })).rejects.toThrow(/limit/);
      });

      it('keeps tenants apart', async () => {
        const { a, b, courseA, courseB } = await twoTenants();
        expect(await repos.courses.get(b.id, courseA.id)).toBeNull();
        expect(await repos.courses.items(b.id, courseA.id, 1)).toEqual([]);
        expect((await repos.courses.list(b.id)).items.map((c) => c.id)).toEqual([courseB.id]);
        expect(await repos.courses.delete(b.id, courseA.id)).toBe(false);
        expect(await repos.courses.get(a.id, courseA.id)).not.toBeNull();
        for (const version of [undefined, 1, 7]) {
          const error = await repos.courses
            .create(b.id, courseInput('hijack', { id: courseA.id, version }))
            .catch((e: unknown) => e);
          expect(isDbError(error) && error.code).toBe('DB_INVALID_INPUT');
        }
        expect(await repos.courses.nextVersion(a.id, courseA.id)).toBe(2);
        expect(await repos.courses.get(b.id, courseA.id)).toBeNull();
      });

      it('deletes every version and everything hanging off the course', async () => {
        const { a, b, learnerA, learnerB, courseA, courseB } = await twoTenants();
        await repos.courses.create(a.id, courseInput('golf v2', { id: courseA.id }));
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const attemptB = await attemptFor(b.id, courseB.id, 1, learnerB.id);
        const result = await repos.scoStates.commit(
          a.id,
          attempt.id,
          'I1',
          1,
          commitInput(1, {
            interactions: [interactionRow(0)],
            objectives: [objectiveRow('obj-1')],
          }),
        );
        expect(result.ok).toBe(true);
        await repos.launches.start(a.id, { attemptId: attempt.id, itemIdentifier: 'I1' });
        expect(await repos.scoStates.commit(b.id, attemptB.id, 'I1', 1, commitInput(1))).toMatchObject({
          ok: true,
        });

        expect(await repos.courses.delete(a.id, courseA.id)).toBe(true);
        expect(await repos.courses.get(a.id, courseA.id)).toBeNull();
        expect(await repos.courses.get(a.id, courseA.id, 1)).toBeNull();
        expect(await repos.courses.items(a.id, courseA.id, 1)).toEqual([]);
        expect(await repos.attempts.get(a.id, attempt.id)).toBeNull();
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toBeNull();
        expect(await repos.commitLog.listByAttempt(a.id, attempt.id)).toEqual([]);
        expect(await repos.scoStates.interactions(a.id, attempt.id)).toEqual([]);
        expect(await repos.scoStates.objectives(a.id, attempt.id)).toEqual([]);
        expect(await repos.launches.listByAttempt(a.id, attempt.id)).toEqual([]);
        expect(await repos.learners.get(a.id, learnerA.id)).not.toBeNull();
        expect(await repos.courses.delete(a.id, courseA.id)).toBe(false);
        // The other tenant's course of the same title is untouched.
        expect(await repos.attempts.get(b.id, attemptB.id)).not.toBeNull();
        expect(await repos.commitLog.listByAttempt(b.id, attemptB.id)).toHaveLength(1);
      });
    });

    describe('attempts', () => {
      it('creates attempts only on the tenant’s own course version and learner', async () => {
        const { a, b, learnerA, learnerB, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        expect(attempt).toMatchObject({
          tenantId: a.id,
          courseId: courseA.id,
          courseVersion: 1,
          learnerId: learnerA.id,
          status: 'active',
          totalTimeCs: 0,
          completionStatus: null,
          finishedAt: null,
        });
        expect(await repos.attempts.get(a.id, attempt.id)).toEqual(attempt);
        expect(await repos.attempts.get(b.id, attempt.id)).toBeNull();
        const missingVersion = { courseId: courseA.id, courseVersion: 9, learnerId: learnerA.id };
        expect(await repos.attempts.create(a.id, missingVersion)).toBeNull();
        const foreignCourse = { courseId: courseA.id, courseVersion: 1, learnerId: learnerB.id };
        expect(await repos.attempts.create(b.id, foreignCourse)).toBeNull();
        const foreignLearner = { courseId: courseA.id, courseVersion: 1, learnerId: learnerB.id };
        expect(await repos.attempts.create(a.id, foreignLearner)).toBeNull();
      });

      it('lists by course and learner with pagination', async () => {
        const { a, b, learnerA, courseA } = await twoTenants();
        const other = await repos.learners.upsert(a.id, { externalId: 'learner-2' });
        const course2 = await repos.courses.create(a.id, courseInput('second'));
        const mine = [];
        for (let i = 0; i < 5; i++) mine.push(await attemptFor(a.id, courseA.id, 1, learnerA.id));
        const otherLearner = await attemptFor(a.id, courseA.id, 1, other.id);
        const otherCourse = await attemptFor(a.id, course2.id, 1, learnerA.id);

        const ids = async (options: Parameters<Repositories['attempts']['list']>[1]) => {
          const out: string[] = [];
          let cursor: string | null = null;
          do {
            const page = await repos.attempts.list(a.id, { ...options, cursor, limit: 2 });
            expect(page.items.length).toBeLessThanOrEqual(2);
            out.push(...page.items.map((x) => x.id));
            cursor = page.nextCursor;
          } while (cursor !== null);
          return out;
        };
        const both = await ids({ courseId: courseA.id, learnerId: learnerA.id });
        expect(both.sort()).toEqual(mine.map((x) => x.id).sort());
        expect((await ids({ courseId: courseA.id })).sort()).toEqual(
          [...mine, otherLearner].map((x) => x.id).sort(),
        );
        expect((await ids({ learnerId: learnerA.id })).sort()).toEqual(
          [...mine, otherCourse].map((x) => x.id).sort(),
        );
        expect(await ids({})).toHaveLength(7);
        expect((await repos.attempts.list(b.id, { courseId: courseA.id })).items).toEqual([]);
      });

      it('finds the resumable attempt and updates the summary field by field', async () => {
        const { a, b, learnerA, courseA } = await twoTenants();
        expect(await repos.attempts.findResumable(a.id, courseA.id, learnerA.id)).toBeNull();
        const first = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const second = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        await repos.attempts.updateSummary(a.id, second.id, { status: 'completed' });
        const suspended = await repos.attempts.updateSummary(a.id, first.id, {
          status: 'suspended',
          completionStatus: 'incomplete',
          scoreScaled: 0.25,
          totalTimeCs: 12_345,
          currentItem: 'I2',
        });
        expect(suspended).toMatchObject({
          status: 'suspended',
          completionStatus: 'incomplete',
          successStatus: null,
          scoreScaled: 0.25,
          scoreRaw: null,
          totalTimeCs: 12_345,
          currentItem: 'I2',
        });
        expect(suspended!.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
        expect((await repos.attempts.findResumable(a.id, courseA.id, learnerA.id))?.id).toBe(first.id);
        expect(await repos.attempts.findResumable(b.id, courseA.id, learnerA.id)).toBeNull();

        const finishedAt = new Date(Date.UTC(2031, 5, 6, 7, 8, 9, 10));
        const done = await repos.attempts.updateSummary(a.id, first.id, {
          status: 'completed',
          successStatus: 'passed',
          scoreRaw: 91.5,
          finishedAt,
        });
        expect(done).toMatchObject({
          completionStatus: 'incomplete',
          successStatus: 'passed',
          scoreRaw: 91.5,
        });
        expect(done?.finishedAt).toEqual(finishedAt);
        expect(await repos.attempts.findResumable(a.id, courseA.id, learnerA.id)).toBeNull();

        expect(await repos.attempts.updateSummary(b.id, first.id, { status: 'terminated' })).toBeNull();
        expect((await repos.attempts.get(a.id, first.id))?.status).toBe('completed');
      });
    });

    describe('sco states and the commit log', () => {
      it('accepts commits in sequence and writes state, log, interactions, objectives and summary', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toBeNull();

        const r1 = await repos.scoStates.commit(
          a.id,
          attempt.id,
          'I1',
          1,
          commitInput(1, {
            interactions: [interactionRow(0), interactionRow(1)],
            objectives: [objectiveRow('obj-1')],
            summary: { completionStatus: 'incomplete', totalTimeCs: 100, currentItem: 'I1' },
          }),
        );
        expect(r1.ok).toBe(true);
        if (!r1.ok) return;
        expect(r1.value).toMatchObject({ seq: 1, scormVersion: '2004-4th', state: commitInput(1).state });

        const r2 = await repos.scoStates.commit(
          a.id,
          attempt.id,
          'I1',
          2,
          commitInput(2, {
            interactions: [
              { ...interactionRow(1), result: 'incorrect', learnerResponse: 'b' },
              interactionRow(2),
            ],
            objectives: [
              { ...objectiveRow('obj-1'), successStatus: 'passed', scoreScaled: 1 },
              objectiveRow('obj-2'),
            ],
            summary: { successStatus: 'passed', scoreScaled: 0.9 },
          }),
        );
        expect(r2).toMatchObject({ ok: true, value: { seq: 2 } });
        const second = await repos.scoStates.commit(a.id, attempt.id, 'I2', 1, commitInput(7));
        expect(second).toMatchObject({ ok: true, value: { seq: 1, itemIdentifier: 'I2' } });

        const state = await repos.scoStates.get(a.id, attempt.id, 'I1');
        expect(state).toMatchObject({ seq: 2, state: commitInput(2).state });
        expect(
          (await repos.scoStates.listByAttempt(a.id, attempt.id)).map((s) => [s.itemIdentifier, s.seq]),
        ).toEqual([
          ['I1', 2],
          ['I2', 1],
        ]);

        const interactions = await repos.scoStates.interactions(a.id, attempt.id);
        expect(interactions.map((i) => [i.idx, i.result, i.learnerResponse])).toEqual([
          [0, 'correct', 'a'],
          [1, 'incorrect', 'b'],
          [2, 'correct', 'a'],
        ]);
        expect(interactions[0]).toMatchObject({
          interactionId: 'q-0',
          type: 'choice',
          correctResponses: ['a', 'a[,]b'],
          objectiveIds: ['obj-1'],
          weighting: 1.5,
          latency: 'PT2.5S',
        });
        // Written by the second commit (on Postgres, the one-statement path).
        expect(interactions[2]).toMatchObject({
          interactionId: 'q-2',
          type: 'choice',
          description: 'Question 2',
          timestamp: '2026-01-01T10:00:00.0Z',
          correctResponses: ['a', 'a[,]b'],
          objectiveIds: ['obj-1'],
          weighting: 1.5,
          latency: 'PT2.5S',
        });
        const objectives = await repos.scoStates.objectives(a.id, attempt.id);
        expect(objectives.map((o) => [o.objectiveId, o.successStatus, o.scoreScaled])).toEqual([
          ['obj-1', 'passed', 1],
          ['obj-2', 'unknown', 0.5],
        ]);

        const summary = await repos.attempts.get(a.id, attempt.id);
        expect(summary).toMatchObject({
          completionStatus: 'incomplete',
          successStatus: 'passed',
          scoreScaled: 0.9,
          totalTimeCs: 100,
          currentItem: 'I1',
        });

        const log = await repos.commitLog.listByAttempt(a.id, attempt.id);
        expect(log.map((e) => [e.itemIdentifier, e.seq])).toEqual([
          ['I1', 1],
          ['I1', 2],
          ['I2', 1],
        ]);
        const i1 = log.filter((e) => e.itemIdentifier === 'I1');
        expect(i1.map((e) => e.diff)).toEqual([commitInput(1).diff, commitInput(2).diff]);
      });

      it('refuses stale, replayed and future seqs with the current seq and no side effect', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        await repos.scoStates.commit(a.id, attempt.id, 'I1', 1, commitInput(1));
        await repos.scoStates.commit(
          a.id,
          attempt.id,
          'I1',
          2,
          commitInput(2, { interactions: [interactionRow(0)] }),
        );
        const snapshot = async () => ({
          state: await repos.scoStates.get(a.id, attempt.id, 'I1'),
          log: await repos.commitLog.listByAttempt(a.id, attempt.id),
          interactions: await repos.scoStates.interactions(a.id, attempt.id),
          objectives: await repos.scoStates.objectives(a.id, attempt.id),
          attempt: await repos.attempts.get(a.id, attempt.id),
        });
        const before = await snapshot();
        const hostile = commitInput(99, {
          interactions: [{ ...interactionRow(0), result: 'wrong' }, interactionRow(5)],
          objectives: [objectiveRow('injected')],
          summary: { status: 'completed', scoreScaled: 1 },
        });
        for (const seq of [2, 1, 4, 0, -1, 2.5]) {
          expect(await repos.scoStates.commit(a.id, attempt.id, 'I1', seq, hostile)).toEqual({
            ok: false,
            error: 'SEQ_CONFLICT',
            currentSeq: 2,
          });
        }
        expect(await repos.scoStates.commit(a.id, attempt.id, 'I9', 2, hostile)).toEqual({
          ok: false,
          error: 'SEQ_CONFLICT',
          currentSeq: 0,
        });
        expect(await snapshot()).toEqual(before);
        expect(await repos.scoStates.commit(a.id, attempt.id, 'I1', 3, commitInput(3))).toMatchObject({
          ok: true,
        });
      });

      it('with requireOpenAttempt, writes nothing to a completed or terminated attempt', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const open = { requireOpenAttempt: true };
        expect(await repos.scoStates.commit(a.id, attempt.id, 'I1', 1, commitInput(1, open))).toMatchObject({
          ok: true,
          value: { seq: 1, itemIdentifier: 'I1', state: commitInput(1).state },
        });
        expect(await repos.scoStates.commit(a.id, attempt.id, 'I1', 2, commitInput(2, open))).toMatchObject({
          ok: true,
          value: { seq: 2 },
        });
        for (const status of ['completed', 'terminated'] as const) {
          await repos.attempts.updateSummary(a.id, attempt.id, { status });
          const log = await repos.commitLog.listByAttempt(a.id, attempt.id);
          for (const [item, seq] of [
            ['I1', 3],
            ['I2', 1],
          ] as const) {
            const hostile = commitInput(seq, { ...open, summary: { status: 'active', scoreScaled: 1 } });
            expect(await repos.scoStates.commit(a.id, attempt.id, item, seq, hostile)).toEqual({
              ok: false,
              error: 'ATTEMPT_CLOSED',
            });
          }
          expect(await repos.commitLog.listByAttempt(a.id, attempt.id)).toEqual(log);
          expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toMatchObject({ seq: 2 });
          expect(await repos.scoStates.get(a.id, attempt.id, 'I2')).toBeNull();
          expect(await repos.attempts.get(a.id, attempt.id)).toMatchObject({ status, scoreScaled: null });
        }
        // Without the flag a commit is not checked against the attempt status.
        expect(await repos.scoStates.commit(a.id, attempt.id, 'I1', 3, commitInput(3))).toMatchObject({
          ok: true,
        });
        expect(await repos.scoStates.commit(a.id, 'no-such-attempt', 'I1', 1, commitInput(1, open))).toEqual({
          ok: false,
          error: 'ATTEMPT_NOT_FOUND',
        });
      });

      it('sets exactly the summary fields a commit names, nulls included', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        await repos.scoStates.commit(
          a.id,
          attempt.id,
          'I1',
          1,
          commitInput(1, { summary: { scoreRaw: 5, scoreScaled: 0.5, successStatus: 'failed' } }),
        );
        const finishedAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
        const r2 = await repos.scoStates.commit(
          a.id,
          attempt.id,
          'I1',
          2,
          commitInput(2, {
            summary: {
              status: 'completed',
              completionStatus: 'completed',
              scoreRaw: null,
              totalTimeCs: 12_345_678_901,
              currentItem: 'I1',
              finishedAt,
            },
          }),
        );
        expect(r2).toMatchObject({ ok: true, value: { seq: 2, scormVersion: '2004-4th' } });
        const expected = {
          status: 'completed',
          completionStatus: 'completed',
          successStatus: 'failed',
          scoreRaw: null,
          scoreScaled: 0.5,
          totalTimeCs: 12_345_678_901,
          currentItem: 'I1',
          finishedAt,
        };
        expect(await repos.attempts.get(a.id, attempt.id)).toMatchObject(expected);
        expect(
          await repos.scoStates.commit(a.id, attempt.id, 'I1', 3, commitInput(3, { summary: {} })),
        ).toMatchObject({
          ok: true,
        });
        expect(await repos.attempts.get(a.id, attempt.id)).toMatchObject(expected);
      });

      it('answers each of several commits made at once on its own: one that fails fails alone', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const other = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        for (const item of ['I1', 'I2']) {
          await repos.scoStates.commit(a.id, attempt.id, item, 1, commitInput(1));
        }
        // Made in the same turn of the event loop, so that a grouping driver writes them together;
        // two of them race for the same seq.
        const broken = { ...interactionRow(0), interactionId: null as unknown as string };
        const outcomes = await Promise.allSettled([
          repos.scoStates.commit(a.id, attempt.id, 'I1', 2, commitInput(2, { summary: { totalTimeCs: 7 } })),
          repos.scoStates.commit(a.id, attempt.id, 'I2', 2, commitInput(2, { interactions: [broken] })),
          repos.scoStates.commit(a.id, attempt.id, 'I1', 2, commitInput(2, { summary: { totalTimeCs: 7 } })),
          repos.scoStates.commit(a.id, other.id, 'I1', 1, commitInput(1)),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        const values = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : null));
        const raced = [values[0], values[2]];
        expect(raced.filter((v) => v?.ok)).toHaveLength(1);
        expect(raced.find((v) => v?.ok)).toMatchObject({ ok: true, value: { seq: 2 } });
        expect(raced.find((v) => !v?.ok)).toEqual({ ok: false, error: 'SEQ_CONFLICT', currentSeq: 2 });
        expect(values[3]).toMatchObject({ ok: true, value: { seq: 1 } });
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toMatchObject({ seq: 2 });
        expect(await repos.scoStates.get(a.id, attempt.id, 'I2')).toMatchObject({ seq: 1 });
        expect(await repos.scoStates.interactions(a.id, attempt.id)).toEqual([]);
        const log = await repos.commitLog.listByAttempt(a.id, attempt.id);
        expect(log.map((e) => [e.itemIdentifier, e.seq]).sort()).toEqual([
          ['I1', 1],
          ['I1', 2],
          ['I2', 1],
        ]);
        expect((await repos.attempts.get(a.id, attempt.id))?.totalTimeCs).toBe(7);
      });

      it('keeps the last of several records with the same key in one commit', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const result = await repos.scoStates.commit(
          a.id,
          attempt.id,
          'I1',
          1,
          commitInput(1, {
            interactions: [
              interactionRow(0),
              { ...interactionRow(0), result: 'incorrect' },
              interactionRow(1),
            ],
            objectives: [objectiveRow('o'), { ...objectiveRow('o'), successStatus: 'passed' }],
          }),
        );
        expect(result.ok).toBe(true);
        const interactions = await repos.scoStates.interactions(a.id, attempt.id);
        expect(interactions.map((i) => [i.idx, i.result])).toEqual([
          [0, 'incorrect'],
          [1, 'correct'],
        ]);
        const objectives = await repos.scoStates.objectives(a.id, attempt.id);
        expect(objectives.map((o) => [o.objectiveId, o.successStatus])).toEqual([['o', 'passed']]);
      });

      it('lists states and records in the same (code point) order on every dialect', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const keys = ['b', 'B', 'a-2', 'a_1', 'A'];
        for (const item of keys) {
          const objectives = keys.map((id) => objectiveRow(id));
          const result = await repos.scoStates.commit(
            a.id,
            attempt.id,
            item,
            1,
            commitInput(1, { objectives }),
          );
          expect(result.ok).toBe(true);
        }
        const byCodePoint = [...keys].sort();
        expect(byCodePoint).toEqual(['A', 'B', 'a-2', 'a_1', 'b']);
        expect((await repos.scoStates.listByAttempt(a.id, attempt.id)).map((s) => s.itemIdentifier)).toEqual(
          byCodePoint,
        );
        const objectives = await repos.scoStates.objectives(a.id, attempt.id);
        expect(objectives.map((o) => `${o.itemIdentifier}/${o.objectiveId}`)).toEqual(
          byCodePoint.flatMap((item) => byCodePoint.map((id) => `${item}/${id}`)),
        );
      });

      it('refuses U+0000, which Postgres cannot store, on every dialect', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const nul = commitInput(1, { state: { 'cmi.suspend_data': 'a\u0000b' } });
        const error = await repos.scoStates.commit(a.id, attempt.id, 'I1', 1, nul).catch((e: unknown) => e);
        expect(isDbError(error) && error.code).toBe('DB_INVALID_INPUT');
        const literal = commitInput(1, { state: { 'cmi.suspend_data': '\\u0000 stays text' } });
        expect(await repos.scoStates.commit(a.id, attempt.id, 'I1', 1, literal)).toMatchObject({ ok: true });
        expect((await repos.scoStates.get(a.id, attempt.id, 'I1'))?.state).toEqual(literal.state);
        await expect(repos.courses.create(a.id, courseInput('x\u0000'))).rejects.toThrow(/U\+0000/);
        await expect(repos.learners.upsert(a.id, { externalId: 'n\u0000' })).rejects.toThrow(/U\+0000/);
        await expect(repos.tenants.get('t\u0000')).rejects.toThrow(/U\+0000/);
        await expect(
          repos.launches.start(a.id, { attemptId: attempt.id, itemIdentifier: '\u0000' }),
        ).rejects.toThrow(/U\+0000/);
      });

      it('refuses a commit without state or diff', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        for (const input of [commitInput(1, { state: null }), commitInput(1, { diff: undefined })]) {
          const error = await repos.scoStates
            .commit(a.id, attempt.id, 'I1', 1, input)
            .catch((e: unknown) => e);
          expect(isDbError(error) && error.code).toBe('DB_INVALID_INPUT');
        }
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toBeNull();
      });

      it('keeps the SCORM version of the state unless a commit names one', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        await repos.scoStates.commit(a.id, attempt.id, 'I1', 1, commitInput(1, { scormVersion: '1.2' }));
        await repos.scoStates.commit(a.id, attempt.id, 'I1', 2, commitInput(2, { scormVersion: undefined }));
        expect((await repos.scoStates.get(a.id, attempt.id, 'I1'))?.scormVersion).toBe('1.2');
        await repos.scoStates.commit(a.id, attempt.id, 'I1', 3, commitInput(3, { scormVersion: '2004-4th' }));
        const state = await repos.scoStates.get(a.id, attempt.id, 'I1');
        expect(state).toMatchObject({ scormVersion: '2004-4th', seq: 3, state: commitInput(3).state });
        expect(state?.updatedAt).toBeInstanceOf(Date);
        const log = await repos.commitLog.listByAttempt(a.id, attempt.id);
        expect(log.map((e) => e.receivedAt instanceof Date && e.diff)).toEqual(
          [1, 2, 3].map((n) => commitInput(n).diff),
        );
      });

      it('rolls the whole commit back when one of its writes fails', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        await repos.scoStates.commit(a.id, attempt.id, 'I1', 1, commitInput(1));
        const broken = commitInput(2, {
          interactions: [interactionRow(3), { ...interactionRow(4), idx: -1 }],
          objectives: [objectiveRow('obj-x')],
          summary: { status: 'completed' },
        });
        await expect(repos.scoStates.commit(a.id, attempt.id, 'I1', 2, broken)).rejects.toThrow();
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toMatchObject({
          seq: 1,
          state: commitInput(1).state,
        });
        expect(await repos.commitLog.listByAttempt(a.id, attempt.id)).toHaveLength(1);
        expect(await repos.scoStates.interactions(a.id, attempt.id)).toEqual([]);
        expect(await repos.scoStates.objectives(a.id, attempt.id)).toEqual([]);
        expect((await repos.attempts.get(a.id, attempt.id))?.status).toBe('active');
        expect(await repos.scoStates.commit(a.id, attempt.id, 'I1', 2, commitInput(2))).toMatchObject({
          ok: true,
        });
      });

      it('refuses commits to another tenant’s attempt and hides its state', async () => {
        const { a, b, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        await repos.scoStates.commit(a.id, attempt.id, 'I1', 1, commitInput(1));
        const result = await repos.scoStates.commit(
          b.id,
          attempt.id,
          'I1',
          2,
          commitInput(2, { summary: { status: 'terminated' } }),
        );
        expect(result).toEqual({ ok: false, error: 'ATTEMPT_NOT_FOUND' });
        expect(await repos.scoStates.commit(b.id, attempt.id, 'I5', 1, commitInput(1))).toEqual({
          ok: false,
          error: 'ATTEMPT_NOT_FOUND',
        });
        expect(await repos.scoStates.get(b.id, attempt.id, 'I1')).toBeNull();
        expect(await repos.scoStates.listByAttempt(b.id, attempt.id)).toEqual([]);
        expect(await repos.commitLog.listByAttempt(b.id, attempt.id)).toEqual([]);
        expect(await repos.scoStates.interactions(b.id, attempt.id)).toEqual([]);
        expect(await repos.scoStates.objectives(b.id, attempt.id)).toEqual([]);
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toMatchObject({ seq: 1 });
        expect(await repos.scoStates.listByAttempt(a.id, attempt.id)).toHaveLength(1);
        expect((await repos.attempts.get(a.id, attempt.id))?.status).toBe('active');
      });

      it('lets exactly one of several concurrent writers of the same seq win, across connections', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const writers = [db, open(), open()];
        const rounds = 12;
        for (let seq = 1; seq <= rounds; seq++) {
          const results = await Promise.all(
            writers.flatMap((writer, w) =>
              [0, 1].map((k) =>
                writer.repos.scoStates.commit(
                  a.id,
                  attempt.id,
                  'I1',
                  seq,
                  commitInput(seq, {
                    diff: { writer: w, k },
                    interactions: [interactionRow(seq)],
                    summary: { totalTimeCs: seq },
                  }),
                ),
              ),
            ),
          );
          const winners = results.filter((r) => r.ok);
          expect(winners).toHaveLength(1);
          for (const r of results) {
            if (!r.ok) expect(r).toEqual({ ok: false, error: 'SEQ_CONFLICT', currentSeq: seq });
          }
        }
        const log = await repos.commitLog.listByAttempt(a.id, attempt.id);
        expect(log.map((e) => e.seq)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toMatchObject({ seq: rounds });
        expect(await repos.scoStates.interactions(a.id, attempt.id)).toHaveLength(rounds);
        expect((await repos.attempts.get(a.id, attempt.id))?.totalTimeCs).toBe(rounds);
      });
    });

    describe('commits from several processes', () => {
      it('accepts every seq exactly once when processes race for it', async () => {
        const { a, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const rounds = 40;
        const reports = await raceCommitsInProcesses({
          url: suite.url,
          tenantId: a.id,
          attemptId: attempt.id,
          rounds,
          writers: 3,
        });
        const won = reports.flatMap((r) => r.won).sort((x, y) => x - y);
        expect(won).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
        // Ids order the rows of one process; commits that processes store in the same millisecond
        // are listed in the order of their ids, so the log is compared by seq.
        const log = (await repos.commitLog.listByAttempt(a.id, attempt.id)).sort((x, y) => x.seq - y.seq);
        expect(log.map((e) => e.seq)).toEqual(won);
        // Each seq in the log was written by the process that reported winning it.
        for (const [writer, report] of reports.entries()) {
          for (const seq of report.won) expect(log[seq - 1]?.diff).toEqual({ writer: String(writer) });
        }
        expect(await repos.scoStates.get(a.id, attempt.id, 'I1')).toMatchObject({ seq: rounds });
        expect((await repos.attempts.get(a.id, attempt.id))?.totalTimeCs).toBe(rounds);
      }, 60_000);
    });

    describe('launches', () => {
      it('starts and ends launches of the tenant’s attempts', async () => {
        const { a, b, learnerA, courseA } = await twoTenants();
        const attempt = await attemptFor(a.id, courseA.id, 1, learnerA.id);
        const launch = await repos.launches.start(a.id, { attemptId: attempt.id, itemIdentifier: 'I1' });
        expect(launch).toMatchObject({
          attemptId: attempt.id,
          itemIdentifier: 'I1',
          endedAt: null,
          exit: null,
        });
        expect(await repos.launches.start(b.id, { attemptId: attempt.id, itemIdentifier: 'I1' })).toBeNull();
        expect(await repos.launches.end(b.id, launch!.id, { exit: 'suspend' })).toBeNull();
        const at = new Date(launch!.startedAt.getTime() + 61_000);
        const ended = await repos.launches.end(a.id, launch!.id, {
          exit: 'suspend',
          statusReached: 'incomplete',
          at,
        });
        expect(ended).toMatchObject({
          id: launch!.id,
          exit: 'suspend',
          statusReached: 'incomplete',
          endedAt: at,
        });
        const second = await repos.launches.start(a.id, { attemptId: attempt.id, itemIdentifier: 'I2' });
        const listed = await repos.launches.listByAttempt(a.id, attempt.id);
        expect(listed.map((l) => l.id).sort()).toEqual([launch!.id, second!.id].sort());
        expect(await repos.launches.listByAttempt(b.id, attempt.id)).toEqual([]);
      });
    });
  });
}

function interactionRow(idx: number) {
  return {
    idx,
    interactionId: `q-${idx}`,
    type: 'choice',
    description: `Question ${idx}`,
    learnerResponse: 'a',
    result: 'correct',
    latency: 'PT2.5S',
    timestamp: '2026-01-01T10:00:00.0Z',
    weighting: 1.5,
    correctResponses: ['a', 'a[,]b'],
    objectiveIds: ['obj-1'],
  };
}

function objectiveRow(objectiveId: string) {
  return {
    objectiveId,
    successStatus: 'unknown',
    completionStatus: 'incomplete',
    scoreScaled: 0.5,
    scoreRaw: 5,
    scoreMin: 0,
    scoreMax: 10,
    progressMeasure: 0.5,
    description: `Objective ${objectiveId}`,
  };
}
