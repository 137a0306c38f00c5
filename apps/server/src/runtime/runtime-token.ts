import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/** What a runtime token grants: the SCORM runtime of one attempt of one learner in one tenant. */
export interface RuntimeTokenClaims {
  tenantId: string;
  attemptId: string;
  /** The learner's id inside the engine (not the external id). */
  learnerId: string;
  /**
   * Where the player sends the learner when the attempt ends (an absolute http(s) URL given to
   * `POST /attempts/start`). Signed with the token, so it never comes from an unsigned parameter.
   */
  returnUrl?: string;
}

/** A verified runtime token: its claims and when it stops working (seconds since the epoch). */
export interface VerifiedRuntimeToken extends RuntimeTokenClaims {
  expiresAt: number;
}

/** Why a runtime token was refused. */
export type RuntimeTokenFailure = 'expired' | 'tampered' | 'malformed';

/** The result of `verifyRuntimeToken`. */
export type RuntimeTokenResult =
  | { ok: true; value: VerifiedRuntimeToken }
  | { ok: false; error: { code: RuntimeTokenFailure; message: string } };

/** Default lifetime of a runtime token; a player renews it before it runs out. */
export const RUNTIME_TOKEN_TTL_SECONDS = 15 * 60;

const AUDIENCE = 'scormflow:runtime';
const ALGORITHM = 'HS256';

// Per secret: its HMAC key, imported once (jose would otherwise import the raw bytes on every
// call), and the tokens already verified with it. A runtime sends the same token on every call
// until it renews it, so a verified token is answered from memory. This is safe because:
// - only tokens whose signature, algorithm and audience verified with this secret are kept, and
//   the key is the exact token string: a tampered token (any character changed) is another key
//   and is verified in full; a token verified with another secret is in another secret's map;
// - the answer is the claims the signed token carried, so a replayed token still names only its
//   own attempt (the caller compares it with the attempt it is used for) and tenant;
// - its expiry is checked on every use with jose's rule, so a remembered token stops working at
//   the same second as a verified one would.
// Entries are dropped oldest first beyond VERIFIED_CACHE_SIZE; an expired one is also dropped when used.
interface SecretState {
  key: Promise<webcrypto.CryptoKey>;
  verified: Map<string, VerifiedRuntimeToken>;
}
const stringSecrets = new Map<string, SecretState>();
const byteSecrets = new WeakMap<Uint8Array, SecretState>();
/** Verified tokens remembered per secret; the oldest is dropped first. */
const VERIFIED_CACHE_SIZE = 10_000;

function secretState(secret: string | Uint8Array): SecretState {
  const cached = typeof secret === 'string' ? stringSecrets.get(secret) : byteSecrets.get(secret);
  if (cached) return cached;
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret.slice();
  const key = webcrypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  const state: SecretState = { key, verified: new Map() };
  key.catch(() => (typeof secret === 'string' ? stringSecrets.delete(secret) : byteSecrets.delete(secret)));
  if (typeof secret === 'string') {
    // A process uses one secret, a test run a few: never let the map grow without bound.
    if (stringSecrets.size >= 16) stringSecrets.clear();
    stringSecrets.set(secret, state);
  } else {
    byteSecrets.set(secret, state);
  }
  return state;
}

function runtimeKey(secret: string | Uint8Array): Promise<webcrypto.CryptoKey> {
  return secretState(secret).key;
}

/**
 * A short-lived HS256 JWT bound to one attempt: `tid` (tenant), `sub` (attempt), `lrn` (learner),
 * `ret` (the return URL, when there is one), audience `scormflow:runtime`. Returns the token and its expiry.
 * @see https://www.rfc-editor.org/rfc/rfc7519
 */
export async function issueRuntimeToken(
  claims: RuntimeTokenClaims,
  secret: string | Uint8Array,
  ttlSeconds: number = RUNTIME_TOKEN_TTL_SECONDS,
  options: { now?: Date } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const exp = issuedAt + ttlSeconds;
  const payload: Record<string, string> = { tid: claims.tenantId, lrn: claims.learnerId };
  if (claims.returnUrl !== undefined) payload.ret = claims.returnUrl;
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: ALGORITHM })
    .setAudience(AUDIENCE)
    .setSubject(claims.attemptId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(exp)
    .sign(await runtimeKey(secret));
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * Checks a runtime token made by `issueRuntimeToken` with the same secret: signature, algorithm,
 * audience and expiry.
 * @see https://www.rfc-editor.org/rfc/rfc7519 section 7.2
 */
export async function verifyRuntimeToken(
  token: string,
  secret: string | Uint8Array,
  options: { now?: Date } = {},
): Promise<RuntimeTokenResult> {
  const state = secretState(secret);
  // Only well-formed tokens are ever kept, so a known one needs no format check.
  const known = state.verified.get(token);
  if (known) {
    const now = Math.floor((options.now ? options.now.getTime() : Date.now()) / 1000);
    // jose's rule: expired once the current second reaches exp
    if (known.expiresAt <= now) {
      state.verified.delete(token);
      return { ok: false, error: { code: 'expired', message: 'The runtime token has expired; renew it.' } };
    }
    return { ok: true, value: { ...known } };
  }
  if (token.length > 4096 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    return { ok: false, error: { code: 'malformed', message: 'The runtime token is not a signed token.' } };
  }
  try {
    const { payload } = await jwtVerify(token, await state.key, {
      algorithms: [ALGORITHM],
      audience: AUDIENCE,
      ...(options.now ? { currentDate: options.now } : {}),
    });
    const { tid, lrn, sub, exp, ret } = payload;
    if (
      typeof tid !== 'string' ||
      typeof lrn !== 'string' ||
      typeof sub !== 'string' ||
      typeof exp !== 'number' ||
      (ret !== undefined && typeof ret !== 'string')
    ) {
      return { ok: false, error: { code: 'malformed', message: 'The runtime token lacks its claims.' } };
    }
    const value: VerifiedRuntimeToken = { tenantId: tid, attemptId: sub, learnerId: lrn, expiresAt: exp };
    if (ret !== undefined) value.returnUrl = ret;
    if (state.verified.size >= VERIFIED_CACHE_SIZE) {
      state.verified.delete(state.verified.keys().next().value as string);
    }
    state.verified.set(token, value);
    return { ok: true, value: { ...value } };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      return { ok: false, error: { code: 'expired', message: 'The runtime token has expired; renew it.' } };
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return { ok: false, error: { code: 'tampered', message: 'The runtime token signature is not valid.' } };
    }
    if (error instanceof errors.JOSEError) {
      return { ok: false, error: { code: 'malformed', message: 'The runtime token is not valid.' } };
    }
    throw error;
  }
}
