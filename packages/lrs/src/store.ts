/**
 * The storage contract of the LRS. The HTTP layer (`lrsApp`) validates statements, fills `id`,
 * `stored`, `authority`, `version` and `timestamp`, computes each statement's {@link StatementIndex},
 * and then calls a store. A store keeps records per tenant and answers queries with the xAPI
 * filter semantics below; it never parses statements itself. Memory, SQLite and Postgres stores
 * pass the same conformance suite (`describeLrsStore` from `@scormflow/lrs/testing`).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#statement-resource
 */

/** A JSON value as stored (statements, activity definitions). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Every store call is scoped to one tenant; no call can see another tenant's records. */
export interface LrsScope {
  readonly tenantId: string;
}

/**
 * The keys a statement is found by, computed by the LRS from the statement alone (its own keys,
 * before the StatementRef rule). Agent keys are canonical inverse functional identifier keys made
 * by the LRS (`mbox:mailto:a@example.com`, `mbox_sha1sum:<hex>`, `openid:<uri>`,
 * `account:<homePage>|<name>`), prefixed by the object type (`Agent|...` or `Group|...`) since
 * an Agent and an identified Group with the same IFI are not the same.
 */
export interface StatementIndex {
  /** `verb.id`. */
  readonly verb: string;
  /** `context.registration`, lower case, or `null`. */
  readonly registration: string | null;
  /** The actor, and the object when it is an Agent or Group (the `agent` filter). */
  readonly agents: readonly string[];
  /**
   * Every agent and identified group anywhere in the statement: actor (and members of an
   * anonymous group actor), object, authority, context instructor and team, and the same inside
   * a SubStatement object (the `agent` filter with `related_agents=true`). A superset of `agents`.
   */
  readonly relatedAgents: readonly string[];
  /** The object's id when the object is an Activity (the `activity` filter). */
  readonly activities: readonly string[];
  /**
   * The object activity, every context activity (parent, grouping, category, other), and the same
   * inside a SubStatement object (the `activity` filter with `related_activities=true`).
   * A superset of `activities`.
   */
  readonly relatedActivities: readonly string[];
  /** The targeted statement id when the object is a StatementRef, else `null`. */
  readonly statementRef: string | null;
  /**
   * The id of the statement this one voids: set when the verb is
   * `http://adlnet.gov/expapi/verbs/voided` and the object a StatementRef, else `null`.
   */
  readonly voids: string | null;
}

/** A statement to store. */
export interface NewStatement {
  /** The statement id (lower-case UUID), equal to `statement.id`. */
  readonly id: string;
  /** The complete statement as the LRS will return it with `format=exact`. */
  readonly statement: JsonObject;
  /**
   * `statement.stored`: ISO 8601 UTC with milliseconds, as the LRS set it. A store with
   * `consistentThrough` may store a later time (the start of its write's transaction), in the
   * record and in the statement alike.
   */
  readonly stored: string;
  readonly index: StatementIndex;
}

/** A stored statement. */
export interface StatementRecord extends NewStatement {
  /**
   * True when a stored statement of the same tenant voids this one (`index.voids` equals its id)
   * and this one is not itself a voiding statement. Holds whichever of the two arrived first.
   * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#voided
   */
  readonly voided: boolean;
  /**
   * `statement` as JSON text, when the store holds it as text (SQL stores): a JSON document whose
   * value is exactly `statement`. Optional: the LRS then answers `format=exact` pages by splicing
   * these texts instead of serialising the objects again, and a store that offers it may parse
   * `statement` lazily, on first access.
   * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements
   */
  readonly json?: string;
}

/** An activity definition a statement carries, to merge into the stored definition of `id`. */
export interface ActivityDefinitionUpdate {
  readonly id: string;
  readonly definition: JsonObject;
}

/**
 * What `insertStatements` writes with the statements, in the same transaction and only when they
 * are stored (a conflict writes none of it).
 */
export interface InsertExtras {
  /**
   * Definitions to merge, in order, into the stored ones with `mergeActivityDefinition` of
   * `@scormflow/xapi` (the first one of an id into the stored definition or into nothing, each
   * next one into the result). Read and written in the insert's transaction, so that concurrent
   * merges of one activity all land.
   * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#25-activities-resource
   */
  readonly activities?: readonly ActivityDefinitionUpdate[];
  /** Attachments to store; one that exists already (same `sha2`) is kept as is. */
  readonly attachments?: readonly StoredAttachment[];
}

/** Outcome of `insertStatements`: all or nothing. */
export type InsertResult =
  | { readonly ok: true }
  /** Nothing was stored: these ids exist already in the tenant (or twice in the batch). */
  | { readonly ok: false; readonly reason: 'conflict'; readonly ids: readonly string[] };

/**
 * A statement query. Each given filter must hold; an absent one does not filter.
 *
 * The StatementRef rule (Communication 2.1.3, "Filter Conditions for StatementRefs"): for the
 * `agent`, `verb`, `activity` and `registration` filters, a statement whose object is a
 * StatementRef meets the filter when the targeted statement (of the same tenant, stored before or
 * after it) meets it, recursively along a chain of StatementRefs (cycle-safe). Each filter is
 * checked on its own: one may hold on the statement itself and another on a statement it targets.
 * A voided target still counts (so a voiding statement meets the filters its target meets).
 * `since`, `until` and the order apply to the targeting statement itself. Voided statements never
 * match.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#filter-conditions-for-statementrefs
 */
export interface StatementQuery {
  /** An agent key (see {@link StatementIndex}): matched against `agents`, or `relatedAgents`. */
  readonly agent?: string;
  readonly relatedAgents?: boolean;
  readonly verb?: string;
  /** An activity id: matched against `activities`, or `relatedActivities`. */
  readonly activity?: string;
  readonly relatedActivities?: boolean;
  /** Lower-case registration UUID. */
  readonly registration?: string;
  /** Only statements stored strictly after this ISO 8601 UTC instant. */
  readonly since?: string;
  /** Only statements stored at or before this ISO 8601 UTC instant. */
  readonly until?: string;
  /**
   * Oldest first: by `stored`, ties in insertion order. The default, newest first, is the exact
   * reverse of that order.
   */
  readonly ascending?: boolean;
  /** Page size, at least 1 (the LRS applies its own maximum before calling). */
  readonly limit: number;
  /**
   * The `next` of the previous page of the same query, or absent for the first page. A store
   * should throw `LrsError` with code `LRS_INVALID_CURSOR` for a cursor it did not make (the LRS
   * answers 400; any other error is a 500).
   */
  readonly cursor?: string;
}

/** One page of a statement query. */
export interface StatementPage {
  readonly records: readonly StatementRecord[];
  /**
   * An opaque cursor for the next page, or `null` when this page is the last. A cursor keeps
   * working while statements are added: the next page starts after the last record of this one.
   */
  readonly next: string | null;
}

/** An attachment's bytes, content-addressed by the SHA-2 hash its statement declares. */
export interface StoredAttachment {
  /**
   * Lower-case hex SHA-2 of `content` as the statement's attachment declares it: SHA-256 in
   * practice, SHA-384 or SHA-512 when the client used those (the LRS checks the hash first).
   */
  readonly sha2: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

/** The three document resources. */
export type DocumentKind = 'state' | 'activity-profile' | 'agent-profile';

/** Where a set of documents lives: the resource and its parameters, without the document id. */
export type DocumentParent =
  | {
      readonly kind: 'state';
      readonly activityId: string;
      /** Agent key (see {@link StatementIndex}). */
      readonly agent: string;
      /** Lower-case registration UUID, or `null` for documents stored without one. */
      readonly registration: string | null;
    }
  | { readonly kind: 'activity-profile'; readonly activityId: string }
  | { readonly kind: 'agent-profile'; readonly agent: string };

/** One document's address: its parent and its `stateId` / `profileId`. */
export interface DocumentKey {
  readonly parent: DocumentParent;
  readonly id: string;
}

/** A stored document. */
export interface StoredDocument {
  readonly id: string;
  readonly contentType: string;
  readonly content: Uint8Array;
  /** The entity tag the LRS computed for this content (unquoted). */
  readonly etag: string;
  /** ISO 8601 UTC with milliseconds. */
  readonly updated: string;
}

/** The documents of a parent (see `LrsStore.listDocuments`). */
export interface DocumentList {
  /** Their ids, sorted by UTF-16 code units. */
  readonly ids: readonly string[];
  /** The latest `updated` among them (ISO 8601 UTC with milliseconds), `null` when there are none. */
  readonly lastModified: string | null;
}

/**
 * The {@link DocumentList} of the documents listed (`updatedMs`: milliseconds since the epoch), for
 * stores: ids sorted by UTF-16 code units, whatever order or collation they came in.
 */
export function documentList(documents: readonly { id: string; updatedMs: number }[]): DocumentList {
  let latest = Number.NEGATIVE_INFINITY;
  for (const document of documents) latest = Math.max(latest, document.updatedMs);
  return {
    ids: documents.map((document) => document.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    lastModified: documents.length === 0 ? null : new Date(latest).toISOString(),
  };
}

/**
 * The precondition of a document write, checked atomically with it:
 * `{ etag }` requires the current document to have that tag; `{ absent: true }` requires no
 * document; absent means unconditional.
 */
export type DocumentPrecondition = { readonly etag: string } | { readonly absent: true };

/** Outcome of a conditional document write. */
export type DocumentWriteResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'precondition-failed' };

/**
 * Where an LRS keeps statements, attachments, documents and activity definitions. Every method is
 * scoped to a tenant. Implementations: `memoryLrsStore()` here, SQLite and Postgres in
 * `@scormflow/db`.
 */
export interface LrsStore {
  /**
   * Stores statements all or nothing, and applies voiding: a statement with `index.voids` marks
   * its target voided (when the target is not itself a voiding statement), whether the target is
   * stored before or after it. `extras` (activity definitions to merge, attachments) are written
   * in the same transaction, only when the statements are stored; with no statements, the extras
   * alone are written. A `conflict` stores nothing at all: the caller reads the conflicting ids
   * to tell an equivalent statement (skip it and insert the rest) from a different one.
   */
  insertStatements(
    scope: LrsScope,
    statements: readonly NewStatement[],
    extras?: InsertExtras,
  ): Promise<InsertResult>;
  /**
   * Optional, for stores that several processes write: an instant such that every statement with a
   * `stored` time at or before it that any process will ever hold is committed already, so that a
   * query started after this call returns it. A store implements it when it sets `stored` itself,
   * inside the write's transaction (the `stored` a caller gives is then a lower bound). The LRS
   * sends the earlier of this and its own clock's as `X-Experience-API-Consistent-Through`.
   * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements
   */
  consistentThrough?(): Promise<Date>;
  /** The records with these ids (voided or not), in no particular order; unknown ids are left out. */
  getStatements(scope: LrsScope, ids: readonly string[]): Promise<StatementRecord[]>;
  /** One page of a query (see {@link StatementQuery}). */
  queryStatements(scope: LrsScope, query: StatementQuery): Promise<StatementPage>;

  /** Stores attachments; one that exists already (same `sha2`) is kept as is. */
  putAttachments(scope: LrsScope, attachments: readonly StoredAttachment[]): Promise<void>;
  /** The attachments with these hashes; unknown ones are left out. */
  getAttachments(scope: LrsScope, sha2s: readonly string[]): Promise<StoredAttachment[]>;

  /** The document, or `null`. */
  getDocument(scope: LrsScope, key: DocumentKey): Promise<StoredDocument | null>;
  /** Ids of the parent's documents, optionally only those updated strictly after `since`, sorted. */
  listDocumentIds(scope: LrsScope, parent: DocumentParent, since?: string): Promise<string[]>;
  /**
   * Optional: what {@link listDocumentIds} answers, with the time the most recently updated of
   * those documents was updated, for the `Last-Modified` header of a multiple-document GET (a
   * store without it gets no such header there).
   * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#22-document-resources (2.2.s6.b2)
   */
  listDocuments?(scope: LrsScope, parent: DocumentParent, since?: string): Promise<DocumentList>;
  /** Creates or replaces a document when the precondition holds. */
  putDocument(
    scope: LrsScope,
    key: DocumentKey,
    document: Omit<StoredDocument, 'id'>,
    precondition?: DocumentPrecondition,
  ): Promise<DocumentWriteResult>;
  /** Deletes a document when the precondition holds; deleting a missing document succeeds. */
  deleteDocument(
    scope: LrsScope,
    key: DocumentKey,
    precondition?: DocumentPrecondition,
  ): Promise<DocumentWriteResult>;
  /** Deletes every document of a parent (the multi-document DELETE of the State resource). */
  deleteDocuments(scope: LrsScope, parent: DocumentParent): Promise<void>;

  /** The stored (merged) definition of an activity, or `null` when none is known. */
  getActivity(scope: LrsScope, activityId: string): Promise<JsonObject | null>;
  /** Replaces the stored definitions of these activities (the LRS merges before calling). */
  putActivities(
    scope: LrsScope,
    activities: readonly { readonly id: string; readonly definition: JsonObject }[],
  ): Promise<void>;
}
