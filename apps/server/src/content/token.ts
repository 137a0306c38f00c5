import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { checkKey } from '@scormflow/storage';
import { errors, jwtVerify, SignJWT } from 'jose';
import { SERVER_ERROR_CODES, ServerError } from '../errors.js';

/** What a content token grants: the files of one course version, for one attempt. */
export interface ContentTokenClaims {
  tenantId: string;
  courseId: string;
  /** Course version (1, 2, ...): the token reads `courses/<courseId>/<version>/` only. */
  version: number;
  /** The attempt the token was issued for (the launch that made it). */
  attemptId: string;
  /**
   * The content is served cross-origin to the player (frame mode): HTML files get the runtime
   * script injected, so the SCO finds its API inside its own frame. Absent: served byte for byte.
   */
  frame?: boolean;
}

/** A verified content token: its claims and when it stops working. */
export interface VerifiedContentToken extends ContentTokenClaims {
  /** Expiry, in seconds since the epoch. */
  expiresAt: number;
}

/** Why a content token was refused. */
export const CONTENT_TOKEN_FAILURES = ['expired', 'tampered', 'malformed'] as const;

/** One of `CONTENT_TOKEN_FAILURES`: `expired` (authentic but too old), `tampered` (bad signature, or signed with another key), `malformed` (not a content token at all). */
export type ContentTokenFailure = (typeof CONTENT_TOKEN_FAILURES)[number];

/** The result of `verifyContentToken`. */
export type ContentTokenResult =
  | { ok: true; value: VerifiedContentToken }
  | { ok: false; error: { code: ContentTokenFailure; message: string } };

/** Default lifetime of a content token: a whole session of lazily loaded media. */
export const CONTENT_TOKEN_TTL_SECONDS = 8 * 3600;

const AUDIENCE = 'scormflow:content';
const ALGORITHM = 'HS256';
/** Separates the content-token key from every other use of the same secret (runtime JWTs). */
const KEY_LABEL = 'scormflow content token v1';
const MIN_SECRET_BYTES = 32;

/** Derived keys by secret: deriving and importing a key costs more than verifying a token. */
const KEYS = new Map<string, KeyObject>();
const KEY_CACHE_SIZE = 8;

function contentKey(secret: Uint8Array | string): KeyObject {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new ServerError(
      SERVER_ERROR_CODES.INVALID_ARGUMENT,
      `The content token secret must have at least ${MIN_SECRET_BYTES} bytes.`,
    );
  }
  const id = createHash('sha256').update(bytes).digest('base64');
  let key = KEYS.get(id);
  if (!key) {
    // A derived key: a runtime JWT signed with the raw secret never verifies as a content token.
    key = createSecretKey(createHmac('sha256', bytes).update(KEY_LABEL).digest());
    if (KEYS.size >= KEY_CACHE_SIZE) KEYS.delete(KEYS.keys().next().value as string);
    KEYS.set(id, key);
  }
  return key;
}

function segmentOk(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('/') && checkKey(value).ok;
}

function claimsProblem(claims: ContentTokenClaims): string | null {
  if (!segmentOk(claims.tenantId)) return 'tenantId';
  if (!segmentOk(claims.courseId)) return 'courseId';
  if (!Number.isSafeInteger(claims.version) || claims.version < 1) return 'version';
  if (typeof claims.attemptId !== 'string' || claims.attemptId.length === 0) return 'attemptId';
  return null;
}

/**
 * A URL-safe token (a compact HS256 JWT: base64url and dots) that opens the files of one course
 * version for one attempt, for `ttlSeconds` (default 8 hours). It is meant as a path segment:
 * `/content/<token>/<path inside the package>`, so relative URLs inside the content keep it.
 * The signing key is derived from `secret`, so these tokens and runtime JWTs made from the same
 * secret are never interchangeable. `options.now` sets the issue time (default: now).
 * @see https://www.rfc-editor.org/rfc/rfc7519
 */
export async function issueContentToken(
  claims: ContentTokenClaims,
  secret: Uint8Array | string,
  ttlSeconds: number = CONTENT_TOKEN_TTL_SECONDS,
  options: { now?: Date } = {},
): Promise<string> {
  const bad = claimsProblem(claims);
  if (bad !== null) {
    throw new ServerError(
      SERVER_ERROR_CODES.INVALID_ARGUMENT,
      `The content token claim "${bad}" is not valid.`,
    );
  }
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new ServerError(SERVER_ERROR_CODES.INVALID_ARGUMENT, 'ttlSeconds must be a positive integer.');
  }
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, string | number | boolean> = {
    tid: claims.tenantId,
    cid: claims.courseId,
    ver: claims.version,
  };
  if (claims.frame === true) payload.frm = true;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALGORITHM })
    .setAudience(AUDIENCE)
    .setSubject(claims.attemptId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(contentKey(secret));
}

/**
 * Checks a content token made by `issueContentToken` with the same secret. The signature is checked
 * before the expiry, so `expired` means authentic but too old. `options.now` is the time to check
 * against (default: now).
 * @see https://www.rfc-editor.org/rfc/rfc7519 section 7.2
 */
export async function verifyContentToken(
  token: string,
  secret: Uint8Array | string,
  options: { now?: Date } = {},
): Promise<ContentTokenResult> {
  const key = contentKey(secret);
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) || token.length > 4096) {
    return { ok: false, error: { code: 'malformed', message: 'The content token is not a signed token.' } };
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      audience: AUDIENCE,
      ...(options.now ? { currentDate: options.now } : {}),
    });
    const claims: ContentTokenClaims = {
      tenantId: payload.tid as string,
      courseId: payload.cid as string,
      version: payload.ver as number,
      attemptId: payload.sub as string,
    };
    if (payload.frm === true) claims.frame = true;
    if (
      claimsProblem(claims) !== null ||
      typeof payload.exp !== 'number' ||
      (payload.frm !== undefined && payload.frm !== true)
    ) {
      return { ok: false, error: { code: 'malformed', message: 'The content token lacks its claims.' } };
    }
    return { ok: true, value: { ...claims, expiresAt: payload.exp } };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      return { ok: false, error: { code: 'expired', message: 'The content token has expired.' } };
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return { ok: false, error: { code: 'tampered', message: 'The content token signature is not valid.' } };
    }
    if (error instanceof errors.JOSEError) {
      return { ok: false, error: { code: 'malformed', message: 'The content token is not valid.' } };
    }
    throw error;
  }
}
