import { type SQL, sql } from 'drizzle-orm';
import { API_KEY_ROLES, ATTEMPT_STATUSES, COURSE_KINDS } from './model.js';

/** `column in ('a', 'b')` for a closed set of text values; shared by both dialects' CHECK constraints. */
function oneOf(column: unknown, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', '))})`;
}

/** The CHECK constraints both schemas declare, by name. */
export const CHECKS = {
  apiKeyRole: (role: unknown) => oneOf(role, API_KEY_ROLES),
  courseKind: (kind: unknown) => oneOf(kind, COURSE_KINDS),
  attemptStatus: (status: unknown) => oneOf(status, ATTEMPT_STATUSES),
  positive: (column: unknown) => sql`${column} >= 1`,
  nonNegative: (column: unknown) => sql`${column} >= 0`,
} as const;
