import { describe, expect, it } from 'vitest';
import { DB_ERROR_CODES, DbError, isDbError } from './errors.js';

describe('DbError', () => {
  it('carries a stable code and its cause', () => {
    const cause = new Error('low level');
    const error = new DbError(DB_ERROR_CODES.MIGRATION_FAILED, 'failed', { cause });
    expect(error.code).toBe('DB_MIGRATION_FAILED');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(isDbError(error)).toBe(true);
  });

  it('is recognised by its brand, also from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), {
      code: 'DB_INVALID_CURSOR',
      [Symbol.for('scormflow:error')]: true,
    });
    expect(isDbError(foreign)).toBe(true);
    expect(isDbError(Object.assign(new Error('x'), { code: 'DB_INVALID_CURSOR' }))).toBe(false);
    expect(isDbError({ [Symbol.for('scormflow:error')]: true, code: 'MANIFEST_X' })).toBe(false);
    expect(isDbError(null)).toBe(false);
  });
});
