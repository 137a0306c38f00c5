import { Hono } from 'hono';
import { LrsError } from './errors.js';
import {
  badRequest,
  checkParameters,
  type HandlerContext,
  HttpError,
  LATEST_VERSION,
  type LrsPrincipal,
  type StoringClock,
  storingClock,
  type XapiMethod,
  type XapiRequest,
} from './http/common.js';
import { activityProfileResource, agentProfileResource, stateResource } from './http/documents.js';
import { decodeUtf8 } from './http/json.js';
import { mediaType } from './http/multipart.js';
import { aboutResource, activitiesResource, agentsResource } from './http/resources.js';
import { STATEMENT_PARAMETERS, statementsResource } from './http/statements.js';
import type { LrsStore } from './store.js';

export type { LrsPrincipal } from './http/common.js';

/** Options of {@link lrsApp}. */
export interface LrsAppOptions {
  /** Where statements, attachments, documents and activities are kept. */
  store: LrsStore;
  /**
   * Identifies the caller from the request (usually its `Authorization` header): the tenant and
   * the authority of what it stores, or `null` to answer 401. With the alternate request syntax
   * the request carries the headers given as form fields.
   */
  authenticate: (request: Request) => Promise<LrsPrincipal | null>;
  /** The largest request body accepted, in bytes (default 16 MiB); larger answers 413. */
  maxBodyBytes?: number;
  /** The most statements one GET page returns (default 100); `limit` is capped to it. */
  maxStatementsPerPage?: number;
  /**
   * Re-hash every attachment part and reject one whose bytes do not have the SHA-2 it declares
   * (default `false`). The spec matches parts to attachments by the declared hash only
   * (Communication 1.5.2.s1.b4); the ADL conformance suite sends binary fixtures through a client
   * that re-encodes them as UTF-8, so an LRS that checks the bytes fails those tests.
   */
  verifyAttachmentContent?: boolean;
  /** The clock (`stored`, document `updated`, `X-Experience-API-Consistent-Through`). */
  now?: () => Date;
  /**
   * Stamps statement writes for `X-Experience-API-Consistent-Through` (default: one of this app,
   * on `now`). Give the one the host's other statement writers stamp their writes with.
   */
  storingClock?: StoringClock;
}

type Handler = (request: XapiRequest, ctx: HandlerContext) => Promise<Response>;

const internalError = () =>
  new Response(JSON.stringify({ error: true, status: 500, message: 'internal error' }), {
    status: 500,
    headers: { 'Content-Type': 'application/json' },
  });

/**
 * `X-Experience-API-Consistent-Through` of a request arriving now: the app clock's answer (its own
 * writes still under way), or the store's when it has one and it is earlier (see
 * `LrsStore.consistentThrough`: the writes of every process).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements
 */
export async function consistentThrough(clock: StoringClock, store: LrsStore): Promise<Date> {
  const own = clock.consistentThrough();
  if (!store.consistentThrough) return own;
  const stores = await store.consistentThrough();
  return new Date(Math.min(stores.getTime(), own.getTime()));
}

/**
 * Each resource with every parameter any of its methods accepts: an unknown parameter is a 400
 * before authentication (so that a malformed request is told what is wrong even without valid
 * credentials); each handler then checks the parameters of its method.
 */
const ALL_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;
const READ_METHODS = ['GET', 'HEAD'] as const;

const RESOURCES: readonly [
  path: string,
  handler: Handler,
  parameters: readonly string[],
  methods: readonly XapiMethod[],
][] = [
  ['/statements', statementsResource, STATEMENT_PARAMETERS, ['GET', 'HEAD', 'PUT', 'POST']],
  [
    '/activities/state',
    stateResource,
    ['activityId', 'agent', 'registration', 'stateId', 'since'],
    ALL_METHODS,
  ],
  ['/activities/profile', activityProfileResource, ['activityId', 'profileId', 'since'], ALL_METHODS],
  ['/activities', activitiesResource, ['activityId'], READ_METHODS],
  ['/agents/profile', agentProfileResource, ['agent', 'profileId', 'since'], ALL_METHODS],
  ['/agents', agentsResource, ['agent'], READ_METHODS],
  ['/about', aboutResource, [], READ_METHODS],
];

const METHODS = new Set<string>(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
/** Form fields of the alternate request syntax that are headers (Communication 1.3.s3.b6). */
const FORM_HEADERS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
]);
const EXPOSED_HEADERS =
  'ETag, Last-Modified, Content-Type, X-Experience-API-Version, X-Experience-API-Consistent-Through';
const ALLOWED_HEADERS =
  'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, Accept-Language, X-Requested-With';
const VERSION_PATTERN = /^1\.0(\.\d+)?$/;

async function readBody(request: Request, max: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > max)
    throw new HttpError(413, `the body is larger than ${max} bytes`);
  if (declared !== null && /^\d+$/.test(declared)) {
    // A body of declared length (HTTP framing ends it there) is read in one piece: on the Node
    // server this reads the socket directly instead of through a web stream.
    return Number(declared) === 0 ? new Uint8Array(0) : new Uint8Array(await request.arrayBuffer());
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new HttpError(413, `the body is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function singleValued(entries: Iterable<[string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of entries) {
    if (out.has(name)) throw badRequest(`the parameter "${name}" is given twice`);
    out.set(name, value);
  }
  return out;
}

/** Undoes the alternate request syntax (Communication 1.3): method, headers and query from the form. */
function normalize(request: Request, url: URL, body: Uint8Array, basePath: string): XapiRequest {
  const method = request.method.toUpperCase();
  const alternateMethod = url.searchParams.get('method');
  if (method === 'POST' && alternateMethod !== null) {
    if ([...url.searchParams.keys()].some((name) => name !== 'method')) {
      throw badRequest(
        'with the alternate request syntax, every parameter but "method" goes in the form body',
      );
    }
    const intended = alternateMethod.toUpperCase();
    if (!METHODS.has(intended) || intended !== alternateMethod) {
      throw badRequest(`"${alternateMethod}" is not a method of the alternate request syntax`);
    }
    if (mediaType(request.headers.get('content-type')) !== 'application/x-www-form-urlencoded') {
      throw badRequest('the alternate request syntax needs an application/x-www-form-urlencoded body');
    }
    const text = decodeUtf8(body);
    if (text === null) throw badRequest('the form body is not UTF-8');
    const headers = new Headers(request.headers);
    headers.delete('content-type');
    headers.delete('content-length');
    const query: [string, string][] = [];
    let content = '';
    for (const [name, value] of new URLSearchParams(text)) {
      const lower = name.toLowerCase();
      if (name === 'content') content = value;
      // The listed form fields are the request's headers (Communication 1.3.s3.b7): one given
      // both ways is taken from the form, so a form version of "0.8" is a 400 whatever the header.
      else if (FORM_HEADERS.has(lower)) headers.set(name, value);
      else query.push([name, value]);
    }
    // Content is text (Communication 1.3.s3.b5); without a Content-Type field it is JSON.
    if (!headers.has('content-type') && content !== '') headers.set('content-type', 'application/json');
    return {
      method: intended as XapiMethod,
      query: singleValued(query),
      headers,
      body: new TextEncoder().encode(content),
      alternate: true,
      basePath,
    };
  }
  if (!METHODS.has(method)) throw new HttpError(405, `${method} is not an xAPI method`);
  return {
    method: method as XapiMethod,
    query: singleValued(url.searchParams.entries()),
    headers: request.headers,
    body,
    alternate: false,
    basePath,
  };
}

function errorResponse(error: HttpError): Response {
  const body: Record<string, unknown> = { error: true, status: error.status, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...error.headers };
  if (error.status === 401) headers['WWW-Authenticate'] = 'Basic realm="xAPI", charset="UTF-8"';
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/**
 * The handler's answer with `headers` added: the same Response (its headers are mutable, and the
 * Node server then writes a string body directly), or for HEAD a copy without the body.
 */
function withHeaders(response: Response, headers: Record<string, string>, head: boolean): Response {
  const out = head ? new Response(null, { status: response.status, headers: response.headers }) : response;
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
}

/**
 * An xAPI 1.0.3 LRS as a Hono app, mountable anywhere (`app.route('/xapi', lrsApp(...))`): the
 * Statement, State, Activity Profile, Agent Profile, Activities, Agents and About resources with
 * the alternate request syntax, CORS, version negotiation and attachments.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md
 */
export function lrsApp(options: LrsAppOptions): Hono {
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const maxStatementsPerPage = options.maxStatementsPerPage ?? 100;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new LrsError('LRS_INVALID_OPTIONS', 'lrsApp: maxBodyBytes must be a positive integer');
  }
  if (!Number.isInteger(maxStatementsPerPage) || maxStatementsPerPage < 1) {
    throw new LrsError('LRS_INVALID_OPTIONS', 'lrsApp: maxStatementsPerPage must be a positive integer');
  }
  const now = options.now ?? (() => new Date());
  const clock = options.storingClock ?? storingClock(now);
  // The store's last answer to `consistentThrough`, for the answers to writes.
  let lastStoreAnswer: Date | null = null;
  const askStore = (store: LrsStore) =>
    store.consistentThrough!().then((at) => {
      if (!lastStoreAnswer || at > lastStoreAnswer) lastStoreAnswer = at;
      return at;
    });
  const app = new Hono();

  for (const [path, handler, parameters, methods] of RESOURCES) {
    const isStatements = path === '/statements';
    app.all(path, async (c) => {
      const raw = c.req.raw;
      const origin = raw.headers.get('origin');
      const cors: Record<string, string> = {
        'Access-Control-Allow-Origin': origin ?? '*',
        'Access-Control-Expose-Headers': EXPOSED_HEADERS,
        ...(origin ? { 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {}),
      };
      const common: Record<string, string> = { 'X-Experience-API-Version': LATEST_VERSION, ...cors };
      if (raw.method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: {
            ...common,
            'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, DELETE, OPTIONS',
            'Access-Control-Allow-Headers':
              raw.headers.get('access-control-request-headers') ?? ALLOWED_HEADERS,
            'Access-Control-Max-Age': '86400',
          },
        });
      }
      // The stores are consistent once a write has committed, and a query sees every write
      // committed before it started: the header is the time the request arrived, or just before
      // the earliest `stored` time of a write of this app still under way then, or the store's
      // own answer when it is earlier (the writes of other processes). A read waits for a fresh
      // answer of the store before it queries (a statement committed between its query and a
      // later answer could be promised and not returned); a write, which returns no statements,
      // takes the last answer the store gave (an earlier answer only promises less).
      const own = isStatements ? clock.consistentThrough() : null;
      const asked = own && options.store.consistentThrough ? askStore(options.store) : null;
      // Awaited when needed; a failure is handled there, not unhandled meanwhile.
      asked?.catch(() => {});
      let read = false;
      const finish = async (response: Response, head: boolean): Promise<Response> => {
        if (!own) return withHeaders(response, common, head);
        let at = own;
        if (asked) {
          let stores: Date;
          try {
            stores = !read && lastStoreAnswer ? lastStoreAnswer : await asked;
          } catch (error) {
            console.error('lrsApp: the store could not tell how far it is consistent', error);
            return withHeaders(internalError(), common, head);
          }
          if (stores < at) at = stores;
        }
        return withHeaders(
          response,
          { ...common, 'X-Experience-API-Consistent-Through': at.toISOString() },
          head,
        );
      };
      const head = raw.method === 'HEAD';
      try {
        const url = new URL(raw.url);
        const basePath = c.req.path.slice(0, c.req.path.length - path.length);
        // GET and HEAD bodies are never read: reading one makes the Node server build a full Request.
        const body =
          raw.method === 'GET' || raw.method === 'HEAD'
            ? new Uint8Array(0)
            : await readBody(raw, maxBodyBytes);
        const request = normalize(raw, url, body, basePath);
        // A read (also one in the alternate request syntax) queries after the store's answer.
        if (asked && (request.method === 'GET' || request.method === 'HEAD')) {
          read = true;
          await asked.catch(() => {});
        }
        // A method the resource lacks is a 405 before anything else (the suite sends some
        // without credentials), then unknown parameters are a 400.
        if (!methods.includes(request.method)) {
          throw new HttpError(405, `${request.method} is not allowed on ${path}`, undefined, {
            Allow: methods.join(', '),
          });
        }
        checkParameters(request, parameters);
        let principal: LrsPrincipal | null = null;
        if (path !== '/about') {
          // The version is checked before the credentials: a malformed request answers 400
          // whoever sends it (the conformance suite sends some without any header).
          const version = request.headers.get('x-experience-api-version');
          if (version === null) throw badRequest('the X-Experience-API-Version header is required');
          if (!VERSION_PATTERN.test(version.trim())) {
            throw badRequest(
              `X-Experience-API-Version "${version}" is not supported; use 1.0.0 to ${LATEST_VERSION}`,
            );
          }
          const authRequest = request.alternate
            ? new Request(raw.url, { method: 'GET', headers: request.headers })
            : raw;
          principal = await options.authenticate(authRequest);
          if (!principal) throw new HttpError(401, 'authentication is required: send valid credentials');
        }
        const ctx: HandlerContext = {
          store: options.store,
          scope: { tenantId: principal?.tenantId ?? '' },
          principal: principal ?? { tenantId: '', authority: {} },
          now,
          clock,
          maxStatementsPerPage,
          verifyAttachmentContent: options.verifyAttachmentContent === true,
        };
        const response = await handler(request, ctx);
        return finish(response, head || request.method === 'HEAD');
      } catch (error) {
        if (error instanceof HttpError) return finish(errorResponse(error), head);
        console.error('lrsApp: unexpected error', error);
        return finish(internalError(), head);
      }
    });
  }
  return app;
}
