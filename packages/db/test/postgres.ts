import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The Postgres the tests use; each test file creates and drops its own databases on it. */
export const TEST_PG_URL =
  process.env.SCORMFLOW_TEST_PG_URL ?? 'postgres://scormflow:scormflow@127.0.0.1:5432/scormflow_test';

const REQUIRED = process.env.CI === 'true' || process.env.SCORMFLOW_PG_REQUIRED === '1';

/** A reachable test server, or why the Postgres tests skip. */
export type TestPostgres = { adminUrl: string } | { skip: string };

/** A database made for one test suite. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

/**
 * Checks that the test Postgres answers. When it does not, returns a skip reason, or throws when
 * CI=true or SCORMFLOW_PG_REQUIRED=1.
 */
export async function probeTestPostgres({
  adminUrl = TEST_PG_URL,
  required = REQUIRED,
}: {
  adminUrl?: string;
  required?: boolean;
} = {}): Promise<TestPostgres> {
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await admin`select 1`;
    return { adminUrl };
  } catch (error) {
    const reason = `Postgres unreachable at ${redact(adminUrl)} (${(error as Error).message}); run tooling/scripts/services.sh or set SCORMFLOW_TEST_PG_URL`;
    if (required) throw new Error(`${reason}. Postgres is required (CI=true or SCORMFLOW_PG_REQUIRED=1).`);
    console.warn(`skipping Postgres tests: ${reason}`);
    return { skip: reason };
  } finally {
    await admin.end({ timeout: 1 }).catch(() => {});
  }
}

/**
 * Creates an empty database of its own, so that test files run in parallel. Call it from a
 * `beforeAll` (not at import), so that skipped or filtered suites leave nothing behind.
 */
export async function createTestDatabase(adminUrl: string, label: string): Promise<TestDatabase> {
  const base = new URL(adminUrl);
  const name = `${base.pathname.slice(1)}_${label}_${randomBytes(4).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // A linguistic collation, as production databases often have, so that tests catch code that
    // relies on byte order of text; plain defaults when the server has no ICU.
    await admin
      .unsafe(`create database "${name}" template template0 locale_provider icu icu_locale 'en-US'`)
      .catch(() => admin.unsafe(`create database "${name}"`));
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await dropWithRetry(() => client.unsafe(`drop database if exists "${name}" with (force)`));
      } finally {
        await client.end({ timeout: 5 });
      }
    },
  };
}

/**
 * Runs a `drop database ... with (force)` again while it fails for want of privilege (42501): an
 * autovacuum worker, which the test role may not terminate, is then at work in the database, and
 * is gone a moment later.
 */
export async function dropWithRetry(drop: () => Promise<unknown>): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      await drop();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || tries === 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
