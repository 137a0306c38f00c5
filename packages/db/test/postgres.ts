import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The Postgres the tests use; each test file creates and drops its own database on it. */
export const TEST_PG_URL =
  process.env.SCORMFLOW_TEST_PG_URL ?? 'postgres://scormflow:scormflow@127.0.0.1:5432/scormflow_test';

const REQUIRED = process.env.CI === 'true' || process.env.SCORMFLOW_PG_REQUIRED === '1';

export type TestPostgres = { url: string; drop(): Promise<void> } | { skip: string };

/**
 * Creates a database of its own for one test file, so that files run in parallel. When Postgres is
 * unreachable this returns a skip reason, or throws when CI=true or SCORMFLOW_PG_REQUIRED=1.
 */
export async function createTestDatabase(
  label: string,
  { adminUrl = TEST_PG_URL, required = REQUIRED }: { adminUrl?: string; required?: boolean } = {},
): Promise<TestPostgres> {
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    const reason = `Postgres unreachable at ${adminUrl.replace(/\/\/[^@/]*@/, '//***@')} (${(error as Error).message}); run tooling/scripts/services.sh or set SCORMFLOW_TEST_PG_URL`;
    if (required) throw new Error(`${reason}. Postgres is required (CI=true or SCORMFLOW_PG_REQUIRED=1).`);
    console.warn(`skipping Postgres tests: ${reason}`);
    return { skip: reason };
  }
  const base = new URL(adminUrl);
  const name = `${base.pathname.slice(1)}_${label}_${randomBytes(4).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  await admin.unsafe(`create database "${name}"`);
  await admin.end({ timeout: 5 });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await client.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end({ timeout: 5 });
      }
    },
  };
}
