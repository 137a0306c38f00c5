import type { Agent } from '@scormflow/xapi';
import { agentKey, isIri, isUuid, parseTimestamp, validateAgent } from '@scormflow/xapi';
import type { LrsScope, LrsStore } from '../store.js';
import { parseJson } from './json.js';

/** The xAPI version this LRS answers with (`X-Experience-API-Version`). */
export const LATEST_VERSION = '1.0.3';

/** The methods a resource handler sees (HEAD is answered by the GET handler). */
export type XapiMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

/**
 * A request after the alternate request syntax is undone: the intended method, its query
 * parameters (each at most once), its headers and its content.
 */
export interface XapiRequest {
  readonly method: XapiMethod;
  readonly query: ReadonlyMap<string, string>;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** True when the request used the alternate request syntax (`?method=`). */
  readonly alternate: boolean;
  /** The path of the LRS root under its mount point, without a trailing slash (`/xapi`). */
  readonly basePath: string;
}

/** Who is calling: the tenant the request is scoped to and the authority of its statements. */
export interface LrsPrincipal {
  readonly tenantId: string;
  /** Set as the `authority` of every statement stored with these credentials. */
  readonly authority: Agent;
  /** Credentials that may only read: every write answers 403 Forbidden. */
  readonly readOnly?: boolean;
}

/**
 * The `stored` times of the statement writes under way in one LRS app, for
 * `X-Experience-API-Consistent-Through`: a statement gets its `stored` time before its write
 * commits (validation, voiding checks and the store's own grouping come between), so "now" would
 * promise statements a query cannot see yet.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements (Consistent-Through)
 */
export interface StoringClock {
  /** The `stored` time of a write, held as under way until `done` (call it once, however it ends). */
  stamp(): { stored: string; done(): void };
  /**
   * An instant such that every statement stored at or before it, by a write stamped here, is
   * readable: 1 ms before now, or before the earliest write still under way.
   */
  consistentThrough(): Date;
}

/** A {@link StoringClock} on `now`. */
export function storingClock(now: () => Date): StoringClock {
  // Writes under way per stored millisecond.
  const underWay = new Map<number, number>();
  return {
    stamp() {
      const at = now();
      const ms = at.getTime();
      underWay.set(ms, (underWay.get(ms) ?? 0) + 1);
      let open = true;
      return {
        stored: at.toISOString(),
        done() {
          if (!open) return;
          open = false;
          const left = underWay.get(ms)! - 1;
          if (left === 0) underWay.delete(ms);
          else underWay.set(ms, left);
        },
      };
    },
    consistentThrough() {
      // 1 ms back: a statement stamped in this very millisecond may commit after the query reads.
      let through = now().getTime() - 1;
      for (const ms of underWay.keys()) if (ms - 1 < through) through = ms - 1;
      return new Date(through);
    },
  };
}

/** What a resource handler gets besides the request. */
export interface HandlerContext {
  readonly store: LrsStore;
  readonly scope: LrsScope;
  readonly principal: LrsPrincipal;
  readonly now: () => Date;
  /** Stamps statement writes (see {@link StoringClock}). */
  readonly clock: StoringClock;
  readonly maxStatementsPerPage: number;
  /** Whether attachment parts are re-hashed and must have the hash they declare. */
  readonly verifyAttachmentContent: boolean;
}

/** An answer other than success, with the status the xAPI spec requires. */
export class HttpError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413;
  readonly details: unknown;
  /** Headers the answer carries (`Allow` of a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: HttpError['status'],
    message: string,
    details?: unknown,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.details = details;
    this.headers = headers;
  }
}

export const badRequest = (message: string, details?: unknown): HttpError =>
  new HttpError(400, message, details);

/**
 * Checks the query parameters against the ones a resource and method accept: an unknown one, or
 * one that differs from a known one only in case, is a 400 (Communication 3.2, XAPI-00324 and
 * XAPI-00325); a missing required one too.
 */
export function checkParameters(
  request: XapiRequest,
  allowed: readonly string[],
  required: readonly string[] = [],
): void {
  for (const name of request.query.keys()) {
    if (!allowed.includes(name)) {
      const sameButCase = allowed.find((known) => known.toLowerCase() === name.toLowerCase());
      throw badRequest(
        sameButCase
          ? `the parameter "${name}" must be spelled "${sameButCase}"`
          : `the parameter "${name}" is not allowed on ${request.method} here`,
      );
    }
  }
  for (const name of required) {
    if (!request.query.has(name)) throw badRequest(`the parameter "${name}" is required`);
  }
}

/** The `agent` parameter: an Agent (or identified Group when `allowGroup`) as JSON, and its key. */
export function agentParameter(
  value: string,
  options: { allowGroup: boolean },
): { agent: Agent; key: string } {
  const parsed = parseJson(value);
  if (!parsed.ok) throw badRequest(`the "agent" parameter is not JSON: ${parsed.message}`);
  const validation = validateAgent(parsed.value, 'agent');
  if (!validation.ok) throw badRequest('the "agent" parameter is not a valid Agent', validation.errors);
  const agent = validation.value;
  if (!options.allowGroup && agent.objectType === 'Group') {
    throw badRequest('the "agent" parameter must be an Agent, not a Group');
  }
  const key = agentKey(agent);
  if (key === null) throw badRequest('the "agent" parameter has no inverse functional identifier');
  return { agent: agent as Agent, key };
}

export function iriParameter(name: string, value: string): string {
  if (!isIri(value)) throw badRequest(`the "${name}" parameter must be an IRI with a scheme`);
  return value;
}

export function uuidParameter(name: string, value: string): string {
  if (!isUuid(value)) throw badRequest(`the "${name}" parameter must be a UUID`);
  return value.toLowerCase();
}

/** A timestamp parameter as an ISO 8601 UTC instant with milliseconds. */
export function timestampParameter(name: string, value: string): string {
  const ms = parseTimestamp(value);
  if (ms === null) throw badRequest(`the "${name}" parameter must be an ISO 8601 timestamp`);
  return new Date(ms).toISOString();
}

export function booleanParameter(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`the "${name}" parameter must be true or false`);
}

/** A JSON response. */
export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** The RFC 7231 HTTP-date of an ISO instant (`Last-Modified`). */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
