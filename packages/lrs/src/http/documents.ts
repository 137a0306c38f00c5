import type { DocumentKey, DocumentParent, DocumentPrecondition, StoredDocument } from '../store.js';
import {
  agentParameter,
  badRequest,
  checkParameters,
  type HandlerContext,
  HttpError,
  httpDate,
  iriParameter,
  jsonResponse,
  timestampParameter,
  uuidParameter,
  type XapiRequest,
} from './common.js';
import { sha1Hex } from './digest.js';
import { decodeUtf8, parseJson } from './json.js';
import { mediaType } from './multipart.js';

type Obj = Record<string, unknown>;

/** How one document resource names its parameters. */
interface DocumentResource {
  readonly kind: DocumentParent['kind'];
  readonly label: string;
  /** The parameters that select the parent. */
  readonly parentParameters: readonly string[];
  /** `stateId` or `profileId`. */
  readonly idParameter: 'stateId' | 'profileId';
  /**
   * A PUT without If-Match / If-None-Match: `any` stores it; `required` answers 409 when the
   * document exists (Communication 3.1.s4.b13) and 400 when it does not, since a Client MUST send
   * one of the two to a profile resource (Communication 3.1.s3.b1, XAPI-00273, XAPI-00287).
   */
  readonly putWithoutPrecondition: 'any' | 'required';
  /** Whether DELETE without the id deletes every document of the parent. */
  readonly multiDelete: boolean;
}

const RESOURCES = {
  state: {
    kind: 'state',
    label: 'State',
    parentParameters: ['activityId', 'agent', 'registration'],
    idParameter: 'stateId',
    putWithoutPrecondition: 'any',
    multiDelete: true,
  },
  'activity-profile': {
    kind: 'activity-profile',
    label: 'Activity Profile',
    parentParameters: ['activityId'],
    idParameter: 'profileId',
    putWithoutPrecondition: 'required',
    multiDelete: false,
  },
  'agent-profile': {
    kind: 'agent-profile',
    label: 'Agent Profile',
    parentParameters: ['agent'],
    idParameter: 'profileId',
    putWithoutPrecondition: 'required',
    multiDelete: false,
  },
} as const satisfies Record<DocumentParent['kind'], DocumentResource>;

/**
 * A `stateId` / `profileId`: any string, except one that is the JSON text of another type
 * (a number, `true`, `false`, `null`, an object or an array), which the conformance suite sends
 * for "not type String" (XAPI-00224 to XAPI-00228, XAPI-00276, XAPI-00277, XAPI-00305 to
 * XAPI-00307).
 */
function documentIdParameter(name: string, value: string): string {
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed) || ['true', 'false', 'null'].includes(trimmed)) {
    throw badRequest(`the "${name}" parameter must be a string, not the JSON value ${trimmed}`);
  }
  if (
    (trimmed.startsWith('{') && trimmed.endsWith('}')) ||
    (trimmed.startsWith('[') && trimmed.endsWith(']'))
  ) {
    if (parseJson(trimmed).ok)
      throw badRequest(`the "${name}" parameter must be a string, not a JSON object or array`);
  }
  return value;
}

function parentOf(resource: DocumentResource, query: ReadonlyMap<string, string>): DocumentParent {
  switch (resource.kind) {
    case 'state': {
      const registration = query.get('registration');
      return {
        kind: 'state',
        activityId: iriParameter('activityId', query.get('activityId')!),
        agent: agentParameter(query.get('agent')!, { allowGroup: false }).key,
        registration: registration === undefined ? null : uuidParameter('registration', registration),
      };
    }
    case 'activity-profile':
      return { kind: 'activity-profile', activityId: iriParameter('activityId', query.get('activityId')!) };
    case 'agent-profile':
      return { kind: 'agent-profile', agent: agentParameter(query.get('agent')!, { allowGroup: false }).key };
  }
}

/** Entity tags of an If-Match / If-None-Match header: `*`, or the listed tags without quotes. */
function entityTags(header: string | null): '*' | string[] | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (trimmed === '*') return '*';
  return trimmed
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter((tag) => tag !== '');
}

/**
 * The store precondition of a write from If-Match / If-None-Match (Communication 3.1), or
 * `precondition-failed` when it fails already against the current document.
 */
function preconditionOf(
  request: XapiRequest,
  current: StoredDocument | null,
): DocumentPrecondition | undefined | 'failed' {
  const ifMatch = entityTags(request.headers.get('if-match'));
  const ifNoneMatch = entityTags(request.headers.get('if-none-match'));
  if (ifMatch !== null) {
    if (current === null) return 'failed';
    if (ifMatch !== '*' && !ifMatch.includes(current.etag)) return 'failed';
    return { etag: current.etag };
  }
  if (ifNoneMatch !== null) {
    if (ifNoneMatch === '*') return current === null ? { absent: true } : 'failed';
    if (current !== null && ifNoneMatch.includes(current.etag)) return 'failed';
    return current === null ? { absent: true } : { etag: current.etag };
  }
  return undefined;
}

const preconditionFailed = (): HttpError =>
  new HttpError(412, 'the If-Match / If-None-Match precondition does not hold for the current document');

function isJsonType(contentType: string | null | undefined): boolean {
  return mediaType(contentType) === 'application/json';
}

function jsonObjectOf(content: Uint8Array): Obj | null {
  const text = decodeUtf8(content);
  if (text === null) return null;
  const parsed = parseJson(text);
  if (
    !parsed.ok ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  ) {
    return null;
  }
  return parsed.value as Obj;
}

async function documentOf(
  content: Uint8Array,
  contentType: string,
  now: Date,
): Promise<Omit<StoredDocument, 'id'>> {
  return { contentType, content, etag: await sha1Hex(content), updated: now.toISOString() };
}

async function writeDocument(
  resource: DocumentResource,
  request: XapiRequest,
  ctx: HandlerContext,
  key: DocumentKey,
): Promise<Response> {
  if (ctx.principal.readOnly) throw new HttpError(403, 'these credentials may not write documents');
  const contentType = request.headers.get('content-type') ?? 'application/octet-stream';
  const hasPrecondition = request.headers.has('if-match') || request.headers.has('if-none-match');
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await ctx.store.getDocument(ctx.scope, key);
    const precondition = preconditionOf(request, current);
    if (precondition === 'failed') throw preconditionFailed();
    let content = request.body;
    let storedType = contentType;
    let guard = precondition;
    if (request.method === 'PUT') {
      const rule = resource.putWithoutPrecondition;
      if (!hasPrecondition && current !== null && rule !== 'any') {
        throw new HttpError(
          409,
          `the ${resource.label} document exists: read it, then send If-Match with its ETag (or If-None-Match: *) to replace it`,
        );
      }
      if (!hasPrecondition && rule === 'required') {
        throw badRequest(
          `a PUT to the ${resource.label} resource needs If-None-Match: * to create a document, or If-Match with its ETag to replace one`,
        );
      }
    } else {
      // POST: merge JSON objects (Communication 2.2, JSON Procedure).
      const incomingJson = isJsonType(contentType);
      const incoming = incomingJson ? jsonObjectOf(request.body) : null;
      if (incomingJson && incoming === null) {
        throw badRequest(
          'a POSTed application/json document must be a JSON object (XAPI-00235, XAPI-00284, XAPI-00314)',
        );
      }
      if (current !== null) {
        const existing = isJsonType(current.contentType) ? jsonObjectOf(current.content) : null;
        if (incoming === null || existing === null) {
          throw badRequest(
            'POST merges JSON objects only: the stored and the posted documents must both be application/json objects',
          );
        }
        content = new TextEncoder().encode(JSON.stringify({ ...existing, ...incoming }));
        storedType = 'application/json';
        guard ??= { etag: current.etag };
      } else {
        guard ??= { absent: true };
      }
    }
    const result = await ctx.store.putDocument(
      ctx.scope,
      key,
      await documentOf(content, storedType, ctx.now()),
      guard,
    );
    if (result.ok) return new Response(null, { status: 204 });
    if (precondition !== undefined) throw preconditionFailed();
    // The document changed between our read and write: read again.
  }
  throw new HttpError(409, 'the document is being changed by other requests; try again');
}

async function documentResource(
  resource: DocumentResource,
  request: XapiRequest,
  ctx: HandlerContext,
): Promise<Response> {
  const id = resource.idParameter;
  const base = [...resource.parentParameters];
  const requiredParent = base.filter((name) => name !== 'registration');
  switch (request.method) {
    case 'GET':
    case 'HEAD': {
      checkParameters(request, [...base, id, 'since'], requiredParent);
      const parent = parentOf(resource, request.query);
      const rawId = request.query.get(id);
      const documentId = rawId === undefined ? undefined : documentIdParameter(id, rawId);
      if (documentId !== undefined) {
        if (request.query.has('since')) throw badRequest(`"since" cannot be used with "${id}"`);
        const document = await ctx.store.getDocument(ctx.scope, { parent, id: documentId });
        if (!document) throw new HttpError(404, `no ${resource.label} document "${documentId}"`);
        return new Response(document.content as Uint8Array<ArrayBuffer>, {
          status: 200,
          headers: {
            'Content-Type': document.contentType,
            ETag: `"${document.etag}"`,
            'Last-Modified': httpDate(document.updated),
          },
        });
      }
      const rawSince = request.query.get('since');
      const since = rawSince === undefined ? undefined : timestampParameter('since', rawSince);
      if (!ctx.store.listDocuments)
        return jsonResponse(await ctx.store.listDocumentIds(ctx.scope, parent, since));
      // Communication 2.2.s6.b2: the time the most recently modified of them was modified.
      const { ids, lastModified } = await ctx.store.listDocuments(ctx.scope, parent, since);
      return jsonResponse(ids, 200, lastModified === null ? {} : { 'Last-Modified': httpDate(lastModified) });
    }
    case 'PUT':
    case 'POST': {
      checkParameters(request, [...base, id], [...requiredParent, id]);
      const parent = parentOf(resource, request.query);
      return writeDocument(resource, request, ctx, {
        parent,
        id: documentIdParameter(id, request.query.get(id)!),
      });
    }
    case 'DELETE': {
      if (ctx.principal.readOnly) throw new HttpError(403, 'these credentials may not delete documents');
      const allowed = resource.multiDelete ? [...base, id, 'since'] : [...base, id];
      checkParameters(request, allowed, resource.multiDelete ? requiredParent : [...requiredParent, id]);
      const parent = parentOf(resource, request.query);
      const rawId = request.query.get(id);
      const documentId = rawId === undefined ? undefined : documentIdParameter(id, rawId);
      if (documentId !== undefined) {
        const key = { parent, id: documentId };
        const current = await ctx.store.getDocument(ctx.scope, key);
        const precondition = preconditionOf(request, current);
        if (precondition === 'failed') throw preconditionFailed();
        const result = await ctx.store.deleteDocument(ctx.scope, key, precondition);
        if (!result.ok) throw preconditionFailed();
        return new Response(null, { status: 204 });
      }
      const since = request.query.get('since');
      if (since === undefined) {
        await ctx.store.deleteDocuments(ctx.scope, parent);
      } else {
        const ids = await ctx.store.listDocumentIds(ctx.scope, parent, timestampParameter('since', since));
        for (const documentId of ids) await ctx.store.deleteDocument(ctx.scope, { parent, id: documentId });
      }
      return new Response(null, { status: 204 });
    }
  }
}

/**
 * The State resource.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#23-state-resource
 */
export const stateResource = (request: XapiRequest, ctx: HandlerContext): Promise<Response> =>
  documentResource(RESOURCES.state, request, ctx);

/**
 * The Activity Profile resource.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#27-activity-profile-resource
 */
export const activityProfileResource = (request: XapiRequest, ctx: HandlerContext): Promise<Response> =>
  documentResource(RESOURCES['activity-profile'], request, ctx);

/**
 * The Agent Profile resource.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#26-agent-profile-resource
 */
export const agentProfileResource = (request: XapiRequest, ctx: HandlerContext): Promise<Response> =>
  documentResource(RESOURCES['agent-profile'], request, ctx);
