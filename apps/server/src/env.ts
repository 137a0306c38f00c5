import { z } from 'zod';
import { SERVER_ERROR_CODES, ServerError } from './errors.js';
import { DEFAULT_RATE_LIMITS } from './rate-limit.js';

/** Storage drivers the server can use. */
export const STORAGE_DRIVERS = ['local', 's3', 'memory'] as const;
/** One of `STORAGE_DRIVERS`. */
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

/** Where course files are kept. */
export type StorageConfig =
  | { driver: 'local'; dir: string }
  | { driver: 'memory' }
  | {
      driver: 's3';
      bucket: string;
      region: string | null;
      endpoint: string | null;
      forcePathStyle: boolean;
      prefix: string | null;
      credentials: { accessKeyId: string; secretAccessKey: string } | null;
    };

/** The server configuration, read from the environment once by `loadEnv`. */
export interface ServerEnv {
  /** TCP port `serve` listens on. `PORT`, default 3000. */
  port: number;
  /** Interface `serve` binds. `HOST`, default `127.0.0.1` (use `0.0.0.0` in a container). */
  host: string;
  /** `DATABASE_URL`: empty for the embedded SQLite file `./data/scormflow.db`, or `postgres://...`. */
  databaseUrl: string;
  /**
   * `SQLITE_MULTI_PROCESS` (default `false`): several engine processes share the SQLite file, so
   * the LRS stamps statements inside their write transaction and asks the database how far it is
   * consistent (`X-Experience-API-Consistent-Through`). Postgres always does.
   */
  sqliteMultiProcess: boolean;
  storage: StorageConfig;
  /** `JWT_SECRET` (at least 32 characters); `null` to generate one (SQLite only, persisted next to the file). */
  jwtSecret: string | null;
  /**
   * Public base URL of the engine (`API_BASE_URL`), without a trailing slash: launch and content
   * URLs of a started attempt are absolute under it. `null` (unset): they are relative.
   */
  apiBaseUrl: string | null;
  /**
   * Base URL of course content URLs (`CONTENT_BASE_URL`) when the files are served from another
   * origin (a CDN or a cookieless domain proxied to this server): the player then runs the content
   * in frame mode. Needs `API_BASE_URL`. `null` (unset): content URLs are under `API_BASE_URL`.
   */
  contentBaseUrl: string | null;
  /** Largest course upload in bytes (`MAX_UPLOAD_BYTES`, default 1 GiB). */
  maxUploadBytes: number;
  /** Largest JSON request body in bytes (`MAX_JSON_BYTES`, default 1 MiB). */
  maxJsonBytes: number;
  /** Requests per tenant per minute (`RATE_LIMIT_PER_MINUTE`, default 600; 0 turns limiting off). */
  rateLimitPerMinute: number;
  /** Largest burst per tenant (`RATE_LIMIT_BURST`, default the per-minute figure). */
  rateLimitBurst: number;
  /** Runtime calls per tenant per minute (`RATE_LIMIT_RUNTIME_PER_MINUTE`, default 120,000; 0 turns it off). */
  rateLimitRuntimePerMinute: number;
  /** Largest runtime burst per tenant (`RATE_LIMIT_RUNTIME_BURST`, default the per-minute figure). */
  rateLimitRuntimeBurst: number;
  /** Content files per tenant per minute (`RATE_LIMIT_CONTENT_PER_MINUTE`, default 300,000; 0 turns it off). */
  rateLimitContentPerMinute: number;
  /** Largest content burst per tenant (`RATE_LIMIT_CONTENT_BURST`, default the per-minute figure). */
  rateLimitContentBurst: number;
  /** LRS requests (`/xapi`) per tenant per minute (`RATE_LIMIT_XAPI_PER_MINUTE`, default 120,000; 0 turns it off). */
  rateLimitXapiPerMinute: number;
  /** Largest LRS burst per tenant (`RATE_LIMIT_XAPI_BURST`, default the per-minute figure). */
  rateLimitXapiBurst: number;
  /** `SCORMFLOW_ADMIN_KEY`: the first admin key, instead of a generated one. */
  adminKey: string | null;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const integer = (name: string, min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+$/, `${name} must be a whole number, for example ${fallback}`)
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(min, `${name} must be at least ${min}`)
          .max(max, `${name} must be at most ${max}`),
      )
      .optional()
      .transform((v) => v ?? fallback),
  );

const boolean = (name: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(true|false|1|0|yes|no)$/i, `${name} must be true or false`)
      .transform((v) => /^(true|1|yes)$/i.test(v))
      .optional(),
  );

const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

const url = (name: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
        message: `${name} must be an http(s) URL, for example https://lms.example.com`,
      })
      .optional(),
  );

const baseUrl = (name: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .superRefine((v, ctx) => {
        const parsed = URL.canParse(v) ? new URL(v) : null;
        if (!parsed || !/^https?:$/.test(parsed.protocol)) {
          ctx.addIssue({
            code: 'custom',
            message: `${name} must be an http(s) URL, for example https://lms.example.com`,
          });
        } else if (parsed.search !== '' || parsed.hash !== '' || /[?#]/.test(v)) {
          ctx.addIssue({ code: 'custom', message: `${name} must not have a query or a fragment` });
        } else if (parsed.username !== '' || parsed.password !== '') {
          ctx.addIssue({ code: 'custom', message: `${name} must not hold a user name or password` });
        }
      })
      .transform((v) => new URL(v).href.replace(/\/+$/, ''))
      .optional(),
  );

const burst = (name: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+$/, `${name} must be a whole number`)
      .transform(Number)
      .pipe(z.number().int().min(1, `${name} must be at least 1`))
      .optional(),
  );

const schema = z
  .object({
    PORT: integer('PORT', 0, 65535, 3000),
    HOST: z.preprocess(emptyToUndefined, z.string().trim().default('127.0.0.1')),
    DATABASE_URL: z
      .preprocess(emptyToUndefined, z.string().trim().default(''))
      .refine(
        (v) => v === '' || /^(postgres(ql)?:\/\/|file:)/i.test(v) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(v),
        { message: 'DATABASE_URL must be postgres://..., postgresql://..., file:<path> or a file path' },
      ),
    STORAGE_DRIVER: z.preprocess(
      emptyToUndefined,
      z
        .enum(STORAGE_DRIVERS, { message: `STORAGE_DRIVER must be one of ${STORAGE_DRIVERS.join(', ')}` })
        .default('local'),
    ),
    STORAGE_LOCAL_DIR: z.preprocess(emptyToUndefined, z.string().trim().default('./data/blobs')),
    S3_BUCKET: optionalString,
    S3_REGION: optionalString,
    S3_ENDPOINT: url('S3_ENDPOINT'),
    S3_FORCE_PATH_STYLE: boolean('S3_FORCE_PATH_STYLE'),
    SQLITE_MULTI_PROCESS: boolean('SQLITE_MULTI_PROCESS'),
    S3_PREFIX: optionalString,
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    JWT_SECRET: z.preprocess(
      emptyToUndefined,
      z.string().min(32, 'JWT_SECRET must be at least 32 characters long').optional(),
    ),
    API_BASE_URL: baseUrl('API_BASE_URL'),
    CONTENT_BASE_URL: baseUrl('CONTENT_BASE_URL'),
    MAX_UPLOAD_BYTES: integer('MAX_UPLOAD_BYTES', 1024, 64 * GIB, GIB),
    MAX_JSON_BYTES: integer('MAX_JSON_BYTES', 1024, 256 * MIB, MIB),
    RATE_LIMIT_PER_MINUTE: integer('RATE_LIMIT_PER_MINUTE', 0, 10_000_000, DEFAULT_RATE_LIMITS.api),
    RATE_LIMIT_BURST: burst('RATE_LIMIT_BURST'),
    RATE_LIMIT_RUNTIME_PER_MINUTE: integer(
      'RATE_LIMIT_RUNTIME_PER_MINUTE',
      0,
      100_000_000,
      DEFAULT_RATE_LIMITS.runtime,
    ),
    RATE_LIMIT_RUNTIME_BURST: burst('RATE_LIMIT_RUNTIME_BURST'),
    RATE_LIMIT_CONTENT_PER_MINUTE: integer(
      'RATE_LIMIT_CONTENT_PER_MINUTE',
      0,
      100_000_000,
      DEFAULT_RATE_LIMITS.content,
    ),
    RATE_LIMIT_CONTENT_BURST: burst('RATE_LIMIT_CONTENT_BURST'),
    RATE_LIMIT_XAPI_PER_MINUTE: integer(
      'RATE_LIMIT_XAPI_PER_MINUTE',
      0,
      100_000_000,
      DEFAULT_RATE_LIMITS.xapi,
    ),
    RATE_LIMIT_XAPI_BURST: burst('RATE_LIMIT_XAPI_BURST'),
    SCORMFLOW_ADMIN_KEY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(
          /^[A-Za-z0-9_-]{32,256}$/,
          'SCORMFLOW_ADMIN_KEY must be 32 to 256 characters of A-Z, a-z, 0-9, "_" and "-"',
        )
        .optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.STORAGE_DRIVER === 's3' && !v.S3_BUCKET) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_BUCKET'],
        message: 'S3_BUCKET is required when STORAGE_DRIVER=s3',
      });
    }
    if (Boolean(v.S3_ACCESS_KEY_ID) !== Boolean(v.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together',
      });
    }
    if (v.CONTENT_BASE_URL && !v.API_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONTENT_BASE_URL'],
        message:
          'CONTENT_BASE_URL needs API_BASE_URL: content on another origin loads /runtime.js from the engine by its absolute URL',
      });
    }
    if (!v.JWT_SECRET && /^postgres(ql)?:\/\//i.test(v.DATABASE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message:
          'JWT_SECRET is required with Postgres (every server process must share it); generate one with `openssl rand -base64 48`',
      });
    }
  });

/**
 * Reads and validates the server configuration. This is the only place that reads the environment;
 * pass an object to configure the server without touching `process.env`. Throws `ServerError`
 * `SERVER_ENV_INVALID` naming every bad variable and what it must be.
 * @see https://12factor.net/config
 */
export function loadEnv(env: Readonly<Record<string, string | undefined>> = process.env): ServerEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'environment';
      return issue.message.startsWith(name) ? `- ${issue.message}` : `- ${name}: ${issue.message}`;
    });
    throw new ServerError(SERVER_ERROR_CODES.ENV_INVALID, `Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  let storage: StorageConfig;
  if (v.STORAGE_DRIVER === 's3') {
    storage = {
      driver: 's3',
      bucket: v.S3_BUCKET ?? '',
      region: v.S3_REGION ?? null,
      endpoint: v.S3_ENDPOINT ?? null,
      forcePathStyle: v.S3_FORCE_PATH_STYLE ?? false,
      prefix: v.S3_PREFIX ?? null,
      credentials:
        v.S3_ACCESS_KEY_ID && v.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: v.S3_ACCESS_KEY_ID, secretAccessKey: v.S3_SECRET_ACCESS_KEY }
          : null,
    };
  } else if (v.STORAGE_DRIVER === 'memory') {
    storage = { driver: 'memory' };
  } else {
    storage = { driver: 'local', dir: v.STORAGE_LOCAL_DIR };
  }
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    sqliteMultiProcess: v.SQLITE_MULTI_PROCESS ?? false,
    storage,
    jwtSecret: v.JWT_SECRET ?? null,
    apiBaseUrl: v.API_BASE_URL ?? null,
    contentBaseUrl: v.CONTENT_BASE_URL ?? null,
    maxUploadBytes: v.MAX_UPLOAD_BYTES,
    maxJsonBytes: v.MAX_JSON_BYTES,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    rateLimitBurst: v.RATE_LIMIT_BURST ?? Math.max(1, v.RATE_LIMIT_PER_MINUTE),
    rateLimitRuntimePerMinute: v.RATE_LIMIT_RUNTIME_PER_MINUTE,
    rateLimitRuntimeBurst: v.RATE_LIMIT_RUNTIME_BURST ?? Math.max(1, v.RATE_LIMIT_RUNTIME_PER_MINUTE),
    rateLimitContentPerMinute: v.RATE_LIMIT_CONTENT_PER_MINUTE,
    rateLimitContentBurst: v.RATE_LIMIT_CONTENT_BURST ?? Math.max(1, v.RATE_LIMIT_CONTENT_PER_MINUTE),
    rateLimitXapiPerMinute: v.RATE_LIMIT_XAPI_PER_MINUTE,
    rateLimitXapiBurst: v.RATE_LIMIT_XAPI_BURST ?? Math.max(1, v.RATE_LIMIT_XAPI_PER_MINUTE),
    adminKey: v.SCORMFLOW_ADMIN_KEY ?? null,
  };
}
