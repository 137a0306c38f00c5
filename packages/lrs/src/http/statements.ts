import type { ActivityDefinition, Statement } from '@scormflow/xapi';
import { isUuid, normalizeStatement, validateStatement } from '@scormflow/xapi';
import { isLrsError, LRS_ERROR_CODES } from '../errors.js';
import { indexStatement, malformedIndexKey } from '../index-statement.js';
import type {
  ActivityDefinitionUpdate,
  JsonObject,
  NewStatement,
  StatementPage,
  StatementQuery,
  StatementRecord,
  StoredAttachment,
} from '../store.js';
import {
  agentParameter,
  badRequest,
  booleanParameter,
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
import { sha2HexLike } from './digest.js';
import { decodeUtf8, parseJson } from './json.js';
import { decodeMoreToken, encodeMoreToken, type MoreState } from './more-token.js';
import {
  buildMultipart,
  mediaType,
  mediaTypeParameters,
  type OutgoingPart,
  parseMultipart,
} from './multipart.js';
import { SIGNATURE_USAGE_TYPE, verifySignedStatement } from './signature.js';
import { jsonTextResponse, statementResultText } from './statement-text.js';
import { formatStatement, parseAcceptLanguage, statementsEquivalent } from './xapi-bridge.js';

type Obj = Record<string, unknown>;

/** Every parameter of the Statement resource. */
export const STATEMENT_PARAMETERS = [
  'statementId',
  'voidedStatementId',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  'more',
] as const;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Received {
  statements: unknown[];
  /** Attachment parts by declared hash (lower case). */
  parts: Map<string, { contentType: string; content: Uint8Array }>;
  /** Whether the body was one statement (not an array). */
  single: boolean;
}

/** Reads the statements and attachment parts of a PUT or POST (Communication 1.5). */
async function readStatements(request: XapiRequest, verifyContent: boolean): Promise<Received> {
  const contentType = request.headers.get('content-type');
  const type = mediaType(contentType);
  let jsonBytes: Uint8Array;
  const parts = new Map<string, { contentType: string; content: Uint8Array }>();
  if (type === 'application/json') {
    jsonBytes = request.body;
  } else if (type === 'multipart/mixed') {
    const boundary = mediaTypeParameters(contentType ?? '').get('boundary');
    if (!boundary) throw badRequest('a multipart/mixed body needs a boundary parameter (XAPI-00131)');
    const parsed = parseMultipart(request.body, boundary);
    if (!parsed.ok) throw badRequest(`${parsed.message} (XAPI-00130)`);
    const [first, ...rest] = parsed.parts;
    if (!first) throw badRequest('the multipart body has no parts');
    if (mediaType(first.headers.get('content-type')) !== 'application/json') {
      throw badRequest('the first part of a multipart body must be application/json statements (XAPI-00134)');
    }
    jsonBytes = first.body;
    for (const part of rest) {
      const hash = part.headers.get('x-experience-api-hash');
      if (!hash) throw badRequest('every attachment part needs an X-Experience-API-Hash header (XAPI-00132)');
      const encoding = part.headers.get('content-transfer-encoding');
      if (encoding?.toLowerCase() !== 'binary') {
        throw badRequest('every attachment part needs Content-Transfer-Encoding: binary (XAPI-00135)');
      }
      const declared = hash.toLowerCase();
      if (!/^[0-9a-f]{64}$|^[0-9a-f]{96}$|^[0-9a-f]{128}$/.test(declared)) {
        throw badRequest(`the X-Experience-API-Hash ${hash} is not a SHA-2 hash`);
      }
      if (verifyContent && (await sha2HexLike(declared, part.body)) !== declared) {
        throw badRequest(`the attachment part with hash ${hash} does not have that SHA-2 hash`);
      }
      parts.set(declared, {
        contentType: part.headers.get('content-type') ?? 'application/octet-stream',
        content: part.body,
      });
    }
  } else {
    throw badRequest('statements must be sent as application/json or multipart/mixed (XAPI-00127)');
  }
  const text = decodeUtf8(jsonBytes);
  if (text === null) throw badRequest('the statements are not UTF-8');
  const parsed = parseJson(text);
  if (!parsed.ok) throw badRequest(parsed.message);
  const single = !Array.isArray(parsed.value);
  return { statements: single ? [parsed.value] : (parsed.value as unknown[]), parts, single };
}

/** Every Activity of a statement with its definition (object, context activities, SubStatement). */
function activitiesOf(statement: Obj): { id: string; definition: ActivityDefinition }[] {
  const found: { id: string; definition: ActivityDefinition }[] = [];
  const visit = (activity: unknown): void => {
    if (
      isObject(activity) &&
      (activity.objectType === undefined || activity.objectType === 'Activity') &&
      typeof activity.id === 'string' &&
      isObject(activity.definition)
    ) {
      found.push({ id: activity.id, definition: activity.definition as ActivityDefinition });
    }
  };
  const visitStatement = (s: Obj): void => {
    visit(s.object);
    const ca = isObject(s.context) ? s.context.contextActivities : undefined;
    if (isObject(ca)) {
      for (const value of Object.values(ca)) for (const a of Array.isArray(value) ? value : [value]) visit(a);
    }
  };
  visitStatement(statement);
  if (isObject(statement.object) && statement.object.objectType === 'SubStatement')
    visitStatement(statement.object);
  return found;
}

/**
 * PUT and POST: validates, completes and stores statements all or nothing; an id that exists with
 * an equivalent statement is a no-op, with a different one a 409.
 */
async function storeStatements(
  request: XapiRequest,
  ctx: HandlerContext,
  putId: string | null,
): Promise<{ ids: string[]; created: number }> {
  if (ctx.principal.readOnly) throw new HttpError(403, 'these credentials may not store statements');
  const received = await readStatements(request, ctx.verifyAttachmentContent);
  if (putId !== null && !received.single) throw badRequest('PUT takes one statement, not an array');
  // Under way from the `stored` time to the end of the write (Consistent-Through).
  const stamp = ctx.clock.stamp();
  try {
    return await writeStatements(ctx, putId, received, stamp.stored);
  } finally {
    stamp.done();
  }
}

async function writeStatements(
  ctx: HandlerContext,
  putId: string | null,
  received: Received,
  stored: string,
): Promise<{ ids: string[]; created: number }> {
  // One copy per request: stores copy or serialise what they keep.
  const authority = structuredClone(ctx.principal.authority) as unknown as Obj;
  const prepared: { record: NewStatement; statement: Obj; received: Obj }[] = [];
  const seen = new Set<string>();
  const declaredHashes = new Set<string>();
  for (const [position, raw] of received.statements.entries()) {
    const where = received.single ? 'the statement' : `statement [${position}]`;
    const validation = validateStatement(raw);
    if (!validation.ok) throw badRequest(`${where} is not valid`, validation.errors);
    // Context activities are stored as arrays, as every answer must give them (XAPI-00096).
    // `raw` was parsed for this request alone and only top-level properties are set below (the
    // normalisation copies what it changes), so a shallow copy keeps `raw` as the client sent it.
    const statement = normalizeStatement({ ...validation.value }) as unknown as Obj;
    if (putId !== null) {
      if (typeof statement.id === 'string' && statement.id.toLowerCase() !== putId) {
        throw badRequest('the statement id differs from the statementId parameter');
      }
      statement.id = putId;
    }
    const id = typeof statement.id === 'string' ? statement.id.toLowerCase() : crypto.randomUUID();
    if (seen.has(id)) throw badRequest(`the batch has the statement id ${id} twice`);
    seen.add(id);
    statement.id = id;
    // Attachments: each one without fileUrl must come as a part with its hash.
    const attachments = Array.isArray(statement.attachments) ? (statement.attachments as Obj[]) : [];
    for (const attachment of attachments) {
      const sha2 = String(attachment.sha2).toLowerCase();
      declaredHashes.add(sha2);
      if (attachment.usageType === SIGNATURE_USAGE_TYPE) {
        const part = received.parts.get(sha2);
        if (!part) throw badRequest(`${where} is signed but its signature part is missing (XAPI-00115)`);
        const verdict = await verifySignedStatement(raw as Obj, part.content, String(attachment.contentType));
        if (!verdict.ok) throw badRequest(`${where}: ${verdict.message}`);
      } else if (attachment.fileUrl === undefined && !received.parts.has(sha2)) {
        throw badRequest(
          `${where} has an attachment with sha2 ${sha2} but no part with that hash (XAPI-00129)`,
        );
      }
    }
    // Only top-level properties are added below, so a shallow copy keeps what the client sent.
    const receivedCopy = { ...statement };
    statement.stored = stored;
    if (statement.timestamp === undefined) statement.timestamp = stored;
    statement.authority = authority;
    if (statement.version === undefined) statement.version = '1.0.0';
    const index = indexStatement(statement as unknown as Statement);
    const malformed = malformedIndexKey(index);
    if (malformed !== undefined) {
      throw badRequest(
        `${where} has an identifier that is not Unicode text (a lone UTF-16 surrogate): ${JSON.stringify(malformed)}`,
      );
    }
    prepared.push({
      statement,
      received: receivedCopy,
      record: { id, statement: statement as JsonObject, stored, index },
    });
  }
  for (const hash of received.parts.keys()) {
    if (!declaredHashes.has(hash))
      throw badRequest(`the part with hash ${hash} is no attachment of these statements (XAPI-00128)`);
  }

  // Voiding: a voiding statement may not target a voiding statement (XAPI-00016).
  const targets = prepared.map((p) => p.record.index.voids).filter((v): v is string => v !== null);
  if (targets.length > 0) {
    const known = new Map(
      (await ctx.store.getStatements(ctx.scope, targets)).map((r) => [r.id, r.index.voids]),
    );
    for (const p of prepared) known.set(p.record.id, p.record.index.voids);
    for (const target of targets) {
      if (known.get(target) != null)
        throw badRequest(`statement ${target} is a voiding statement and cannot be voided`);
    }
  }

  // Insert first: only on a conflict are the stored statements read, to skip an equivalent one
  // (and insert the rest) or answer 409 for a different one.
  const attachments: StoredAttachment[] = [];
  for (const [sha2, part] of received.parts) {
    attachments.push({ sha2, contentType: part.contentType, content: part.content });
  }
  let fresh = prepared;
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await ctx.store.insertStatements(
      ctx.scope,
      fresh.map((p) => p.record),
      { activities: activityUpdates(fresh), attachments },
    );
    if (result.ok) return { ids: prepared.map((p) => p.record.id), created: fresh.length };
    const existing = await ctx.store.getStatements(ctx.scope, result.ids);
    const byId = new Map(existing.map((r) => [r.id, r]));
    for (const p of fresh) {
      const other = byId.get(p.record.id);
      if (!other) continue;
      // A timestamp the LRS filled in is not part of what the client sent.
      const sent =
        p.received.timestamp === undefined
          ? { ...p.received, timestamp: other.statement.timestamp }
          : p.received;
      if (!statementsEquivalent(other.statement as unknown as Statement, sent as unknown as Statement)) {
        throw new HttpError(409, `a different statement with id ${p.record.id} exists already`);
      }
    }
    fresh = fresh.filter((p) => !byId.has(p.record.id));
    // Another request may have stored one of the others meanwhile: try again.
  }
  throw new HttpError(409, 'the statements conflict with statements stored at the same time');
}

/** The activity definitions of these statements, in statement order, to merge as the store inserts. */
function activityUpdates(prepared: readonly { statement: Obj }[]): ActivityDefinitionUpdate[] {
  const updates: ActivityDefinitionUpdate[] = [];
  for (const p of prepared) {
    for (const { id, definition } of activitiesOf(p.statement)) {
      updates.push({ id, definition: definition as unknown as JsonObject });
    }
  }
  return updates;
}

interface OutputOptions {
  format: 'exact' | 'ids' | 'canonical';
  attachments: boolean;
  languages: string[];
}

async function present(
  ctx: HandlerContext,
  records: readonly StatementRecord[],
  options: OutputOptions,
): Promise<Obj[]> {
  if (options.format === 'exact') return records.map((r) => r.statement as Obj);
  if (options.format === 'ids') {
    return records.map((r) => formatStatement(r.statement as unknown as Statement, 'ids') as unknown as Obj);
  }
  // canonical: activity definitions as the LRS knows them, one language per map.
  const definitions = new Map<string, JsonObject | null>();
  const canonicalActivity = async (activity: unknown): Promise<void> => {
    if (!isObject(activity) || (activity.objectType !== undefined && activity.objectType !== 'Activity'))
      return;
    if (typeof activity.id !== 'string') return;
    if (!definitions.has(activity.id))
      definitions.set(activity.id, await ctx.store.getActivity(ctx.scope, activity.id));
    const definition = definitions.get(activity.id);
    if (definition) activity.definition = structuredClone(definition);
  };
  const out: Obj[] = [];
  for (const record of records) {
    const statement = structuredClone(record.statement) as Obj;
    const targets: Obj[] = [statement];
    if (isObject(statement.object) && statement.object.objectType === 'SubStatement')
      targets.push(statement.object);
    for (const s of targets) {
      await canonicalActivity(s.object);
      const ca = isObject(s.context) ? s.context.contextActivities : undefined;
      if (isObject(ca)) {
        for (const value of Object.values(ca)) {
          for (const activity of Array.isArray(value) ? value : [value]) await canonicalActivity(activity);
        }
      }
    }
    out.push(
      formatStatement(statement as unknown as Statement, 'canonical', options.languages) as unknown as Obj,
    );
  }
  return out;
}

/** The response body: JSON, or multipart with the statements first and then every attachment. */
async function respond(
  ctx: HandlerContext,
  body: unknown,
  statements: readonly Obj[],
  options: OutputOptions,
  headers: Record<string, string>,
): Promise<Response> {
  if (!options.attachments) return jsonResponse(body, 200, headers);
  const hashes = new Set<string>();
  for (const statement of statements) {
    const lists = [statement.attachments];
    if (isObject(statement.object)) lists.push(statement.object.attachments);
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const attachment of list)
        if (isObject(attachment) && typeof attachment.sha2 === 'string')
          hashes.add(attachment.sha2.toLowerCase());
    }
  }
  const found = hashes.size > 0 ? await ctx.store.getAttachments(ctx.scope, [...hashes]) : [];
  const boundary = `xapi-${crypto.randomUUID()}`;
  const parts: OutgoingPart[] = [
    {
      headers: { 'Content-Type': 'application/json' },
      body: new TextEncoder().encode(JSON.stringify(body)),
    },
    ...found.map((attachment) => ({
      headers: {
        'Content-Type': attachment.contentType,
        'Content-Transfer-Encoding': 'binary',
        'X-Experience-API-Hash': attachment.sha2,
      },
      body: attachment.content,
    })),
  ];
  return new Response(buildMultipart(parts, boundary) as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}`, ...headers },
  });
}

/** Statements as stored, without attachments: the answer can be the stored JSON text. */
const plainExact = (options: OutputOptions): boolean => options.format === 'exact' && !options.attachments;

function outputOptions(request: XapiRequest, query: ReadonlyMap<string, string>): OutputOptions {
  const format = query.get('format') ?? 'exact';
  if (format !== 'exact' && format !== 'ids' && format !== 'canonical') {
    throw badRequest('the "format" parameter must be ids, exact or canonical');
  }
  return {
    format,
    attachments: booleanParameter('attachments', query.get('attachments')),
    languages: parseAcceptLanguage(request.headers.get('accept-language') ?? ''),
  };
}

async function getStatements(request: XapiRequest, ctx: HandlerContext): Promise<Response> {
  checkParameters(request, STATEMENT_PARAMETERS);
  let query = request.query;
  let cursor: string | undefined;
  const more = query.get('more');
  if (more !== undefined) {
    if (query.size > 1) throw badRequest('the "more" parameter takes no other parameter');
    const state = decodeMoreToken(more);
    if (!state || state.tenantId !== ctx.scope.tenantId)
      throw badRequest('the "more" parameter is not a valid link');
    query = new Map(Object.entries(state.query));
    cursor = state.cursor;
  }
  const statementId = query.get('statementId');
  const voidedStatementId = query.get('voidedStatementId');
  const options = outputOptions(request, query);
  if (statementId !== undefined || voidedStatementId !== undefined) {
    if (statementId !== undefined && voidedStatementId !== undefined) {
      throw badRequest('statementId and voidedStatementId cannot be used together');
    }
    for (const name of query.keys()) {
      if (!['statementId', 'voidedStatementId', 'format', 'attachments'].includes(name)) {
        throw badRequest(
          `the parameter "${name}" cannot be used with statementId or voidedStatementId (XAPI-00150, XAPI-00151)`,
        );
      }
    }
    const id = uuidParameter(
      statementId !== undefined ? 'statementId' : 'voidedStatementId',
      (statementId ?? voidedStatementId)!,
    );
    const [record] = await ctx.store.getStatements(ctx.scope, [id]);
    if (!record || record.voided !== (voidedStatementId !== undefined)) {
      throw new HttpError(
        404,
        voidedStatementId !== undefined ? `no voided statement ${id}` : `no statement ${id}`,
      );
    }
    const lastModified = { 'Last-Modified': httpDate(record.stored) };
    if (plainExact(options) && record.json !== undefined) return jsonTextResponse(record.json, lastModified);
    const [statement] = await present(ctx, [record], options);
    return respond(ctx, statement, [statement!], options, lastModified);
  }

  const storeQuery: { -readonly [K in keyof StatementQuery]: StatementQuery[K] } = {
    limit: ctx.maxStatementsPerPage,
  };
  const agent = query.get('agent');
  if (agent !== undefined) storeQuery.agent = agentParameter(agent, { allowGroup: true }).key;
  const verb = query.get('verb');
  if (verb !== undefined) storeQuery.verb = iriParameter('verb', verb);
  const activity = query.get('activity');
  if (activity !== undefined) storeQuery.activity = iriParameter('activity', activity);
  const registration = query.get('registration');
  if (registration !== undefined) storeQuery.registration = uuidParameter('registration', registration);
  storeQuery.relatedActivities = booleanParameter('related_activities', query.get('related_activities'));
  storeQuery.relatedAgents = booleanParameter('related_agents', query.get('related_agents'));
  storeQuery.ascending = booleanParameter('ascending', query.get('ascending'));
  const since = query.get('since');
  if (since !== undefined) storeQuery.since = timestampParameter('since', since);
  const until = query.get('until');
  if (until !== undefined) storeQuery.until = timestampParameter('until', until);
  const limit = query.get('limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit)) throw badRequest('the "limit" parameter must be a non-negative integer');
    const n = Number(limit);
    storeQuery.limit = n === 0 ? ctx.maxStatementsPerPage : Math.min(n, ctx.maxStatementsPerPage);
  }
  if (cursor !== undefined) storeQuery.cursor = cursor;
  let page: StatementPage;
  try {
    page = await ctx.store.queryStatements(ctx.scope, storeQuery);
  } catch (error) {
    // A tampered `more` token carries a cursor the store did not make.
    if (isLrsError(error) && error.code === LRS_ERROR_CODES.INVALID_CURSOR) {
      throw badRequest('the "more" parameter is not a valid link');
    }
    throw error;
  }
  let moreLink = '';
  if (page.next !== null) {
    const state: MoreState = {
      tenantId: ctx.scope.tenantId,
      query: Object.fromEntries(query),
      cursor: page.next,
    };
    moreLink = `${request.basePath}/statements?more=${encodeMoreToken(state)}`;
  }
  const headers: Record<string, string> = {};
  const latest = page.records.reduce<string | null>(
    (max, r) => (max === null || r.stored > max ? r.stored : max),
    null,
  );
  if (latest !== null) headers['Last-Modified'] = httpDate(latest);
  if (plainExact(options)) {
    const text = statementResultText(page.records, moreLink);
    if (text !== null) return jsonTextResponse(text, headers);
  }
  const statements = await present(ctx, page.records, options);
  return respond(ctx, { statements, more: moreLink }, statements, options, headers);
}

/**
 * The Statement resource: PUT, POST (store, or GET through the alternate syntax) and GET/HEAD.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#21-statement-resource
 */
export async function statementsResource(request: XapiRequest, ctx: HandlerContext): Promise<Response> {
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return getStatements(request, ctx);
    case 'PUT': {
      checkParameters(request, ['statementId'], ['statementId']);
      const statementId = request.query.get('statementId')!;
      if (!isUuid(statementId)) throw badRequest('the "statementId" parameter must be a UUID');
      await storeStatements(request, ctx, statementId.toLowerCase());
      return new Response(null, { status: 204 });
    }
    case 'POST': {
      checkParameters(request, []);
      const { ids, created } = await storeStatements(request, ctx, null);
      // Every statement existed already (and matched): nothing was stored, which Communication
      // 2.1.2.s2.b4 answers with 204 No Content or 409.
      if (created === 0 && ids.length > 0) return new Response(null, { status: 204 });
      return jsonResponse(ids);
    }
    default:
      throw new HttpError(405, `${request.method} is not allowed on the Statement resource`);
  }
}
