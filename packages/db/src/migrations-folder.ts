import { fileURLToPath } from 'node:url';
import type { Dialect } from './open-database.js';

/**
 * The committed migrations of a dialect. This module sits directly under `src/` and is bundled into
 * a file directly under `dist/`, so `../drizzle` names the package's `drizzle/` folder from both.
 */
export function migrationsFolder(dialect: Dialect): string {
  return fileURLToPath(new URL(`../drizzle/${dialect === 'postgres' ? 'pg' : 'sqlite'}`, import.meta.url));
}
