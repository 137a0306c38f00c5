import { randomBytes } from 'node:crypto';
import { openDatabase } from '@scormflow/db';

/** The Postgres the tests use; each test file creates and drops its own database on it. */
export const TEST_PG_URL =
  process.env.SCORMFLOW_TEST_PG_URL ?? 'postgres://scormflow:scormflow@127.0.0.1:5432/scormflow_test';

const REQUIRED = process.env.CI === 'true' || process.env.SCORMFLOW_PG_REQUIRED === '1';

/**
 * A database of its own for one test file, made through `@scormflow/db`'s own client. When Postgres
 * is unreachable: a skip reason, or an error when CI=true or SCORMFLOW_PG_REQUIRED=1.
 */
export async function createTestDatabase(
  label: string,
): Promise<{ url: string; drop(): Promise<void> } | { skip: string }> {
  const admin = openDatabase(TEST_PG_URL, { maxConnections: 1 });
  if (admin.dialect !== 'postgres') throw new Error('SCORMFLOW_TEST_PG_URL must be a postgres:// URL');
  try {
    await admin.ping();
  } catch (error) {
    await admin.close().catch(() => {});
    const reason = `Postgres unreachable at ${TEST_PG_URL.replace(/\/\/[^@/]*@/, '//***@')} (${(error as Error).message}); run tooling/scripts/services.sh or set SCORMFLOW_TEST_PG_URL`;
    if (REQUIRED) throw new Error(`${reason}. Postgres is required (CI=true or SCORMFLOW_PG_REQUIRED=1).`);
    console.warn(`skipping Postgres tests: ${reason}`);
    return { skip: reason };
  }
  const base = new URL(TEST_PG_URL);
  const name = `${base.pathname.slice(1)}_${label}_${randomBytes(4).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  await admin.drizzle.$client.unsafe(`create database "${name}"`);
  await admin.close();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = openDatabase(TEST_PG_URL, { maxConnections: 1 });
      try {
        if (again.dialect !== 'postgres') return;
        const drop = () => again.drizzle.$client.unsafe(`drop database if exists "${name}" with (force)`);
        // Refused for want of privilege (42501) while an autovacuum worker, which the test role may
        // not terminate, is in the database: it is gone a moment later.
        for (let waited = 0; ; waited += 250) {
          const refused = await drop().then(
            () => null,
            (error: { code?: string }) => error,
          );
          if (!refused) return;
          if (refused.code !== '42501' || waited >= 10_000) throw refused;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      } finally {
        await again.close();
      }
    },
  };
}
