/**
 * Course content behind a launch.
 *
 * - **Where the token lives.** `/content/<token>/<path inside the package>`: the token is a path
 *   segment, so every relative URL inside the content (`css/a.css`, `../img/b.png` within the
 *   package, lazily loaded media) resolves under the same token without any rewriting. No cookie is
 *   set or read: a cookie would be shared by every course open in the browser, while the path token
 *   opens exactly one course version for one attempt, also inside third-party iframes where cookies
 *   are blocked. `Referrer-Policy: same-origin` keeps the token out of requests to other origins.
 * - **Keys.** The storage key is `tenants/<tenant>/courses/<course>/<version>/<path>` with tenant,
 *   course and version taken from the signed token only; the path is decoded one segment at a time
 *   and refused when a segment is `.`/`..` or holds `/`, `\`, NUL or a control character.
 * - **Ranges.** One byte range is answered with 206; a request for several ranges gets the whole
 *   file with 200 (RFC 9110 allows it; players and PDF viewers ask for one range at a time).
 * - **Caching.** Files are immutable per course version, so the ETag never changes, but the URL
 *   stops working when the token expires: `Cache-Control: private, max-age=<token lifetime left>`.
 * - **No listing.** Folders, paths ending in `/` and missing files are all the same 404 problem.
 * - **Frame mode.** When the content is served from another origin than the player, its token
 *   carries the `frame` claim, and HTML files get the runtime script injected at the top of their
 *   `<head>` (with `Content-Length`, the ETag and ranges adjusted to the served bytes), so the SCO
 *   finds `API` / `API_1484_11` in its own frame. Any other file, and every file under a token
 *   without the claim, is served byte for byte.
 */
import { createHash } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type BlobInfo,
  type BlobObject,
  type BlobStorage,
  checkKey,
  isStorageError,
} from '@scormflow/storage';
import type { AppEnv } from '../auth.js';
import { contentPath } from '../content/path.js';
import { ifNoneMatchHits, ifRangeAllows, parseRange } from '../content/range.js';
import { type ContentTokenResult, type VerifiedContentToken, verifyContentToken } from '../content/token.js';
import { contentTypeOf } from '../content-type.js';
import { courseFolder, tenantStorage } from '../course-import.js';
import { HttpProblem } from '../errors.js';
import { injectIntoHtml, isHtmlType } from '../player/inject.js';
import { type RateLimiter, rateLimitHeaders, takeOrThrow } from '../rate-limit.js';
import { problem } from '../schemas.js';

/** What the content routes need. */
export interface ContentRoutesOptions {
  storage: BlobStorage;
  /** The secret content tokens are signed with (see `issueContentToken`). */
  secret: Uint8Array | string;
  /** The clock tokens are checked against. Default: `new Date()`. */
  now?: () => Date;
  /** Verified tokens remembered (until they expire), so that the assets of one launch skip the signature check. Default 1024; 0 turns it off. */
  tokenCacheSize?: number;
  /** Per-tenant limit of content requests, keyed by the verified token's tenant; none when absent. */
  rateLimiter?: RateLimiter | null;
  /**
   * The runtime script, for content served cross-origin to the player: HTML files read under a
   * token with the `frame` claim get `<script src="<runtimeScriptUrl>?v=<hash>">` as the first child
   * of their `<head>`. Without it every file is served byte for byte.
   */
  frameRuntime?: { url: string; hash: () => Promise<string> } | null;
}

/** Headers of every content answer, errors included. */
const SAFETY = {
  'x-content-type-options': 'nosniff',
  // The token is in the URL: never send it to another origin in a Referer.
  'referrer-policy': 'same-origin',
};
const ERROR_HEADERS = { ...SAFETY, 'cache-control': 'no-store' };

const binary = (description: string) => ({
  description,
  content: { '*/*': { schema: z.string().openapi({ format: 'binary' }) } },
});

// OpenAPI path templates cannot span segments; `*` is the file's path inside the package, which
// may contain `/` (for example `css/style.css`).
const fileRoute = createRoute({
  method: 'get',
  path: '/{token}/*',
  tags: ['content'],
  summary: "A file of a launched course version (HEAD too); the rest of the path is the file's path",
  description:
    'The token (from the launch) is a path segment, so relative URLs inside the content keep it; no cookie is set or read. ' +
    'Content-Type is the stored one (by extension otherwise, `charset=utf-8` for text), with `Accept-Ranges: bytes`, an ETag ' +
    '(`If-None-Match` -> 304), `Cache-Control: private, max-age=<token lifetime left>` and `X-Content-Type-Options: nosniff`. ' +
    'One byte range -> 206; several ranges -> the whole file (200). A folder, a path ending in `/` or a missing file -> 404; ' +
    'there is no listing. The query string is ignored.',
  request: {
    params: z.object({
      token: z.string().openapi({ description: 'The content token of the launch' }),
    }),
  },
  responses: {
    200: binary('The file'),
    206: binary('The requested byte range (`Content-Range`)'),
    304: { description: 'Not modified (the `If-None-Match` ETag matches)' },
    400: problem('The path is not a file path inside the package (`..`, `\\`, NUL, broken encoding)'),
    403: problem('The content token is malformed, tampered with or expired'),
    404: problem('No such file (folders included)'),
    416: problem('The byte range starts beyond the file (`Content-Range: bytes */<size>`)'),
  },
});

function withCharset(type: string): string {
  const lower = type.toLowerCase();
  if (lower.includes('charset=')) return type;
  const media = lower.split(';')[0]!.trim();
  if (media.startsWith('text/') || media === 'application/javascript') return `${type}; charset=utf-8`;
  return type;
}

/** The strong or weak validator of a stored file; `null` when the storage gives nothing to build one. */
function etagOf(info: BlobInfo): string | null {
  if (info.etag) return /^(W\/)?"[^"]*"$/.test(info.etag) ? info.etag : `"${info.etag.replaceAll('"', '')}"`;
  if (info.lastModified) return `W/"${info.size.toString(16)}-${info.lastModified.getTime().toString(16)}"`;
  return null;
}

/** The raw, still encoded path after `/<token>/`, wherever the app is mounted; `null` when absent. */
function rawFilePath(url: string, token: string): string | null {
  const pathname = new URL(url).pathname;
  const marker = `/${token}/`;
  const at = pathname.indexOf(marker);
  return at === -1 ? null : pathname.slice(at + marker.length);
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

/** An answer from bytes held in memory (a file the runtime script was injected into). */
function servedBytes(
  bytes: Uint8Array,
  opts: { headers: Record<string, string>; isHead: boolean; range: ReturnType<typeof parseRange> },
): Response {
  const { headers, range } = opts;
  if (range.kind === 'unsatisfiable') {
    throw new HttpProblem('RANGE_NOT_SATISFIABLE', `The file has ${bytes.byteLength} bytes.`, {
      headers: { ...ERROR_HEADERS, 'accept-ranges': 'bytes', 'content-range': `bytes */${bytes.byteLength}` },
      extensions: { size: bytes.byteLength },
    });
  }
  if (range.kind === 'partial') {
    const part = bytes.subarray(range.start, range.end + 1);
    headers['content-range'] = `bytes ${range.start}-${range.end}/${bytes.byteLength}`;
    headers['content-length'] = String(part.byteLength);
    return new Response(part, { status: 206, headers });
  }
  headers['content-length'] = String(bytes.byteLength);
  return new Response(opts.isHead ? null : bytes, { status: 200, headers });
}

function cancel(object: BlobObject | null): void {
  object?.body.cancel().catch(() => {});
}

/**
 * `GET|HEAD /content/{token}/{path}`: the files of the course version a content token opens, with
 * MIME types, single byte ranges, ETags and private caching, and no directory listing. The storage
 * key is built from the token's tenant, course and version and the checked path only, so no path
 * reaches another course or another tenant.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-14 (range requests)
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2 (Cache-Control)
 */
export function contentRoutes(options: ContentRoutesOptions): OpenAPIHono<AppEnv> {
  const now = options.now ?? (() => new Date());
  const cacheSize = options.tokenCacheSize ?? 1024;
  // Insertion-ordered map as an LRU: one launch loads dozens of files with the same token, and a
  // signature check (jose, HS256) costs about 0.2 ms against a few microseconds for a lookup.
  const verified = new Map<string, VerifiedContentToken>();
  const verify = async (token: string): Promise<ContentTokenResult> => {
    const at = now();
    const hit = verified.get(token);
    if (hit) {
      verified.delete(token);
      if (hit.expiresAt > at.getTime() / 1000) {
        verified.set(token, hit);
        return { ok: true, value: hit };
      }
    }
    const result = await verifyContentToken(token, options.secret, { now: at });
    if (result.ok && cacheSize > 0) {
      verified.set(token, result.value);
      if (verified.size > cacheSize) verified.delete(verified.keys().next().value as string);
    }
    return result;
  };
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerPath(fileRoute);
  // Hono answers HEAD with the GET route (and drops the body); the handler sees the HEAD method.
  app.get('/:token/*', async (c) => {
    const token = c.req.param('token');
    const checked = await verify(token);
    if (!checked.ok) {
      throw new HttpProblem(
        checked.error.code === 'expired' ? 'CONTENT_TOKEN_EXPIRED' : 'CONTENT_TOKEN_INVALID',
        checked.error.message,
        { headers: ERROR_HEADERS },
      );
    }
    // Limited by the token's tenant, once the token is known to be genuine: a forged token takes
    // nothing from any tenant's bucket.
    const limit = options.rateLimiter
      ? rateLimitHeaders(
          await takeOrThrow(
            options.rateLimiter,
            `content:${checked.value.tenantId}`,
            "The tenant's content rate limit",
          ),
        )
      : {};
    const raw = rawFilePath(c.req.url, token);
    const path = contentPath(raw ?? '');
    if (!path.ok) {
      throw path.error.code === 'folder'
        ? new HttpProblem('CONTENT_NOT_FOUND', path.error.message, { headers: ERROR_HEADERS })
        : new HttpProblem('CONTENT_PATH_INVALID', path.error.message, { headers: ERROR_HEADERS });
    }
    const claims = checked.value;
    const key = `${courseFolder(claims.courseId, claims.version)}/${path.value}`;
    const notFound = () =>
      new HttpProblem('CONTENT_NOT_FOUND', `The course has no file "${path.value}".`, {
        headers: ERROR_HEADERS,
      });
    // Too long once prefixed: it cannot name a stored file.
    if (!checkKey(`tenants/${claims.tenantId}/${key}`).ok) throw notFound();
    const files = tenantStorage(options.storage, claims.tenantId);

    const isHead = c.req.method === 'HEAD';
    const rangeHeader = c.req.header('range');
    const ifNoneMatch = c.req.header('if-none-match');
    // A plain GET opens the file at once; the others need its size and ETag first.
    let object: BlobObject | null = null;
    let info: BlobInfo | null;
    try {
      if (isHead || rangeHeader !== undefined || ifNoneMatch !== undefined) info = await files.head(key);
      else info = object = await files.get(key);
    } catch (error) {
      if (isStorageError(error) && error.code === 'STORAGE_INVALID_KEY') throw notFound();
      throw error;
    }
    if (!info) throw notFound();

    const contentType = withCharset(info.contentType ?? contentTypeOf(path.value));
    let snippet: string | null = null;
    if (claims.frame === true && options.frameRuntime && isHtmlType(contentType)) {
      const hash = await options.frameRuntime.hash();
      snippet = `<script src="${escapeAttribute(`${options.frameRuntime.url}?v=${hash}`)}"></script>`;
    }
    const stored = etagOf(info);
    // The served bytes differ from the stored ones (and change with the script): so does the ETag.
    const etag =
      stored === null || snippet === null
        ? stored
        : stored.replace(/"$/, `-rt${createHash('sha256').update(snippet).digest('hex').slice(0, 12)}"`);
    const maxAge = Math.max(0, claims.expiresAt - Math.floor(now().getTime() / 1000));
    const headers: Record<string, string> = {
      ...SAFETY,
      ...limit,
      'accept-ranges': 'bytes',
      'cache-control': `private, max-age=${maxAge}`,
    };
    if (etag) headers.etag = etag;
    if (info.lastModified) headers['last-modified'] = info.lastModified.toUTCString();

    if (etag && ifNoneMatchHits(ifNoneMatch, etag)) {
      cancel(object);
      return new Response(null, { status: 304, headers });
    }
    headers['content-type'] = contentType;
    if (snippet !== null) {
      const whole = object ?? (await files.get(key));
      if (!whole) throw notFound();
      const bytes = injectIntoHtml(new Uint8Array(await new Response(whole.body).arrayBuffer()), snippet);
      return servedBytes(bytes, {
        headers,
        isHead,
        range:
          isHead ||
          !(etag === null
            ? c.req.header('if-range') === undefined
            : ifRangeAllows(c.req.header('if-range'), etag))
            ? { kind: 'whole' }
            : parseRange(rangeHeader, bytes.byteLength),
      });
    }

    // Range is defined for GET only; HEAD describes the whole file.
    const range =
      !isHead &&
      (etag === null ? c.req.header('if-range') === undefined : ifRangeAllows(c.req.header('if-range'), etag))
        ? parseRange(rangeHeader, info.size)
        : ({ kind: 'whole' } as const);
    if (range.kind === 'unsatisfiable') {
      throw new HttpProblem('RANGE_NOT_SATISFIABLE', `The file has ${info.size} bytes.`, {
        headers: { ...ERROR_HEADERS, 'accept-ranges': 'bytes', 'content-range': `bytes */${info.size}` },
        extensions: { size: info.size },
      });
    }
    if (isHead) {
      headers['content-length'] = String(info.size);
      return new Response(null, { status: 200, headers });
    }
    if (range.kind === 'partial') {
      const part = await files.get(key, { range: { start: range.start, end: range.end } });
      if (!part) throw notFound();
      const resolved = part.range ?? { start: range.start, end: range.end, total: info.size };
      headers['content-range'] = `bytes ${resolved.start}-${resolved.end}/${resolved.total}`;
      headers['content-length'] = String(part.size);
      return new Response(part.body, { status: 206, headers });
    }
    object ??= await files.get(key);
    if (!object) throw notFound();
    headers['content-length'] = String(object.size);
    return new Response(object.body, { status: 200, headers });
  });
  return app;
}
