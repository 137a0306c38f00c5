import { describe, expect, it } from 'vitest';
import { loadEnv } from './env.js';
import { isServerError } from './errors.js';

function failure(env: Record<string, string>): string {
  try {
    loadEnv(env);
  } catch (error) {
    expect(isServerError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected loadEnv to throw');
}

describe('loadEnv', () => {
  it('gives the embedded defaults for an empty environment', () => {
    expect(loadEnv({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: '',
      sqliteMultiProcess: false,
      storage: { driver: 'local', dir: './data/blobs' },
      jwtSecret: null,
      apiBaseUrl: null,
      contentBaseUrl: null,
      maxUploadBytes: 1024 ** 3,
      maxJsonBytes: 1024 ** 2,
      rateLimitPerMinute: 600,
      rateLimitBurst: 600,
      rateLimitRuntimePerMinute: 120_000,
      rateLimitRuntimeBurst: 120_000,
      rateLimitContentPerMinute: 300_000,
      rateLimitContentBurst: 300_000,
      rateLimitXapiPerMinute: 120_000,
      rateLimitXapiBurst: 120_000,
      adminKey: null,
    });
  });

  it('reads a production configuration with Postgres and S3', () => {
    const env = loadEnv({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/scormflow',
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'courses',
      S3_REGION: 'auto',
      S3_ENDPOINT: 'https://acc.r2.cloudflarestorage.com',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      JWT_SECRET: 'x'.repeat(40),
      API_BASE_URL: 'https://learn.example.com/',
      MAX_UPLOAD_BYTES: '2048',
      RATE_LIMIT_PER_MINUTE: '0',
      SCORMFLOW_ADMIN_KEY: 'sf_0123456789abcdefghijklmnopqrstuv',
    });
    expect(env).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      storage: {
        driver: 's3',
        bucket: 'courses',
        region: 'auto',
        endpoint: 'https://acc.r2.cloudflarestorage.com',
        forcePathStyle: true,
        prefix: null,
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      },
      apiBaseUrl: 'https://learn.example.com',
      maxUploadBytes: 2048,
      rateLimitPerMinute: 0,
      adminKey: 'sf_0123456789abcdefghijklmnopqrstuv',
    });
  });

  it('reads SQLITE_MULTI_PROCESS as a boolean and names a bad value', () => {
    expect(loadEnv({ SQLITE_MULTI_PROCESS: 'true' }).sqliteMultiProcess).toBe(true);
    expect(loadEnv({ SQLITE_MULTI_PROCESS: 'false' }).sqliteMultiProcess).toBe(false);
    expect(() => loadEnv({ SQLITE_MULTI_PROCESS: 'several' })).toThrow(/SQLITE_MULTI_PROCESS/);
  });

  it('reads the runtime, content and LRS limits apart from the API limit', () => {
    expect(
      loadEnv({
        RATE_LIMIT_PER_MINUTE: '60',
        RATE_LIMIT_RUNTIME_PER_MINUTE: '30000',
        RATE_LIMIT_RUNTIME_BURST: '500',
        RATE_LIMIT_CONTENT_PER_MINUTE: '0',
        RATE_LIMIT_XAPI_PER_MINUTE: '9000',
      }),
    ).toMatchObject({
      rateLimitPerMinute: 60,
      rateLimitBurst: 60,
      rateLimitRuntimePerMinute: 30_000,
      rateLimitRuntimeBurst: 500,
      rateLimitContentPerMinute: 0,
      rateLimitContentBurst: 1,
      rateLimitXapiPerMinute: 9000,
      rateLimitXapiBurst: 9000,
    });
    expect(loadEnv({})).toMatchObject({ rateLimitXapiPerMinute: 120_000, rateLimitXapiBurst: 120_000 });
    expect(loadEnv({ RATE_LIMIT_XAPI_BURST: '50' }).rateLimitXapiBurst).toBe(50);
    const message = failure({
      RATE_LIMIT_RUNTIME_PER_MINUTE: '-1',
      RATE_LIMIT_CONTENT_BURST: '0',
      RATE_LIMIT_XAPI_PER_MINUTE: 'lots',
    });
    expect(message).toContain('RATE_LIMIT_RUNTIME_PER_MINUTE must be a whole number');
    expect(message).toContain('RATE_LIMIT_CONTENT_BURST must be at least 1');
    expect(message).toContain('RATE_LIMIT_XAPI_PER_MINUTE must be a whole number');
  });

  it('normalises API_BASE_URL and refuses a query, a fragment or credentials', () => {
    expect(loadEnv({ API_BASE_URL: 'https://learn.example.com' }).apiBaseUrl).toBe(
      'https://learn.example.com',
    );
    expect(loadEnv({ API_BASE_URL: ' HTTP://Learn.Example.com:8080/lms// ' }).apiBaseUrl).toBe(
      'http://learn.example.com:8080/lms',
    );
    expect(loadEnv({ API_BASE_URL: '' }).apiBaseUrl).toBeNull();
    expect(
      loadEnv({ API_BASE_URL: 'https://learn.example.com', CONTENT_BASE_URL: 'https://cdn.example.net/' })
        .contentBaseUrl,
    ).toBe('https://cdn.example.net');
    expect(() => loadEnv({ CONTENT_BASE_URL: 'https://cdn.example.net' })).toThrow(/needs API_BASE_URL/);
    expect(failure({ API_BASE_URL: 'https://x.example.com/?a=1' })).toContain(
      'API_BASE_URL must not have a query or a fragment',
    );
    expect(failure({ API_BASE_URL: 'https://x.example.com/#top' })).toContain(
      'API_BASE_URL must not have a query or a fragment',
    );
    expect(failure({ API_BASE_URL: 'https://x.example.com?' })).toContain(
      'API_BASE_URL must not have a query or a fragment',
    );
    expect(failure({ API_BASE_URL: 'https://u:p@x.example.com' })).toContain(
      'API_BASE_URL must not hold a user name or password',
    );
    expect(failure({ API_BASE_URL: 'lms.example.com' })).toContain('API_BASE_URL must be an http(s) URL');
  });

  it('treats empty values as unset', () => {
    expect(loadEnv({ PORT: '', STORAGE_DRIVER: ' ', JWT_SECRET: '' })).toMatchObject({
      port: 3000,
      storage: { driver: 'local' },
      jwtSecret: null,
    });
  });

  it('names every bad variable with what it must be', () => {
    const message = failure({
      PORT: 'eighty',
      STORAGE_DRIVER: 'ftp',
      JWT_SECRET: 'short',
      API_BASE_URL: 'ftp://x',
      MAX_UPLOAD_BYTES: '10',
    });
    expect(message).toContain('PORT must be a whole number');
    expect(message).toContain('STORAGE_DRIVER must be one of local, s3, memory');
    expect(message).toContain('JWT_SECRET must be at least 32 characters long');
    expect(message).toContain('API_BASE_URL must be an http(s) URL');
    expect(message).toContain('MAX_UPLOAD_BYTES must be at least 1024');
  });

  it('requires a bucket for S3, both S3 keys together, and JWT_SECRET with Postgres', () => {
    expect(failure({ STORAGE_DRIVER: 's3' })).toContain('S3_BUCKET is required when STORAGE_DRIVER=s3');
    expect(failure({ S3_ACCESS_KEY_ID: 'a' })).toContain(
      'S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together',
    );
    expect(failure({ DATABASE_URL: 'postgresql://db/x' })).toContain('JWT_SECRET is required with Postgres');
    expect(failure({ DATABASE_URL: 'mysql://db/x' })).toContain('DATABASE_URL must be postgres://');
    expect(failure({ SCORMFLOW_ADMIN_KEY: 'too-short' })).toContain('SCORMFLOW_ADMIN_KEY must be 32 to 256');
  });

  it('never reads process.env when given an object', () => {
    process.env.PORT = '9999';
    try {
      expect(loadEnv({}).port).toBe(3000);
    } finally {
      delete process.env.PORT;
    }
  });
});
