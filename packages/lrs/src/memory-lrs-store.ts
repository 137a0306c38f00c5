import { type ActivityDefinition, mergeActivityDefinition } from '@scormflow/xapi';
import { LrsError } from './errors.js';
import type {
  DocumentKey,
  DocumentList,
  DocumentParent,
  DocumentPrecondition,
  DocumentWriteResult,
  InsertExtras,
  InsertResult,
  JsonObject,
  LrsScope,
  LrsStore,
  NewStatement,
  StatementIndex,
  StatementPage,
  StatementQuery,
  StatementRecord,
  StoredAttachment,
  StoredDocument,
} from './store.js';
import { documentList } from './store.js';

interface Row {
  readonly seq: number;
  readonly id: string;
  readonly statement: JsonObject;
  readonly stored: string;
  readonly storedMs: number;
  readonly index: StatementIndex;
}

interface Tenant {
  /** Rows sorted by (stored, seq): the ascending order of queries. */
  readonly rows: Row[];
  readonly byId: Map<string, Row>;
  /** Ids targeted by a stored voiding statement. */
  readonly voidTargets: Set<string>;
  readonly attachments: Map<string, StoredAttachment>;
  /** Parent key -> document id -> document. */
  readonly documents: Map<string, Map<string, StoredDocument>>;
  readonly activities: Map<string, JsonObject>;
}

function parentKey(parent: DocumentParent): string {
  switch (parent.kind) {
    case 'state':
      return JSON.stringify([parent.kind, parent.activityId, parent.agent, parent.registration]);
    case 'activity-profile':
      return JSON.stringify([parent.kind, parent.activityId]);
    case 'agent-profile':
      return JSON.stringify([parent.kind, parent.agent]);
  }
}

function compareRows(a: { storedMs: number; seq: number }, b: { storedMs: number; seq: number }): number {
  return a.storedMs - b.storedMs || a.seq - b.seq;
}

function encodeCursor(row: Row): string {
  return `${row.storedMs}.${row.seq}`;
}

function decodeCursor(cursor: string): { storedMs: number; seq: number } | null {
  const match = /^(-?\d+)\.(\d+)$/.exec(cursor);
  if (!match) return null;
  return { storedMs: Number(match[1]), seq: Number(match[2]) };
}

function copyDocument(document: StoredDocument): StoredDocument {
  return { ...document, content: document.content.slice() };
}

function copyAttachment(attachment: StoredAttachment): StoredAttachment {
  return { ...attachment, content: attachment.content.slice() };
}

function preconditionHolds(
  current: StoredDocument | undefined,
  precondition?: DocumentPrecondition,
): boolean {
  if (!precondition) return true;
  if ('absent' in precondition) return current === undefined;
  return current !== undefined && current.etag === precondition.etag;
}

/**
 * An {@link LrsStore} kept in this process's memory: for tests, demos and single-process use.
 * Everything is lost when the process ends. Passes `describeLrsStore`.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#statement-resource
 */
export function memoryLrsStore(): LrsStore {
  const tenants = new Map<string, Tenant>();
  let seq = 0;

  function tenant(scope: LrsScope): Tenant {
    let found = tenants.get(scope.tenantId);
    if (!found) {
      found = {
        rows: [],
        byId: new Map(),
        voidTargets: new Set(),
        attachments: new Map(),
        documents: new Map(),
        activities: new Map(),
      };
      tenants.set(scope.tenantId, found);
    }
    return found;
  }

  function listDocuments(scope: LrsScope, parent: DocumentParent, since: string | undefined): DocumentList {
    const documents = tenant(scope).documents.get(parentKey(parent));
    const sinceMs = since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(since);
    const listed = [...(documents?.values() ?? [])]
      .map((document) => ({ id: document.id, updatedMs: Date.parse(document.updated) }))
      .filter((document) => document.updatedMs > sinceMs);
    return documentList(listed);
  }

  function toRecord(t: Tenant, row: Row): StatementRecord {
    return {
      id: row.id,
      statement: structuredClone(row.statement),
      stored: row.stored,
      index: row.index,
      voided: row.index.voids === null && t.voidTargets.has(row.id),
    };
  }

  function isVoided(t: Tenant, row: Row): boolean {
    return row.index.voids === null && t.voidTargets.has(row.id);
  }

  /** True when the row, or a statement it targets along a StatementRef chain, passes the test. */
  function along(t: Tenant, row: Row, test: (index: StatementIndex) => boolean): boolean {
    if (test(row.index)) return true;
    if (row.index.statementRef === null) return false;
    const seen = new Set<string>();
    let current: Row | undefined = row;
    while (current && !seen.has(current.id)) {
      if (test(current.index)) return true;
      seen.add(current.id);
      const ref: string | null = current.index.statementRef;
      current = ref === null ? undefined : t.byId.get(ref);
    }
    return false;
  }

  function matches(t: Tenant, row: Row, query: StatementQuery): boolean {
    if (isVoided(t, row)) return false;
    const { agent, verb, activity, registration } = query;
    if (agent !== undefined) {
      const related = query.relatedAgents === true;
      if (!along(t, row, (ix) => (related ? ix.relatedAgents : ix.agents).includes(agent))) return false;
    }
    if (verb !== undefined && !along(t, row, (ix) => ix.verb === verb)) return false;
    if (activity !== undefined) {
      const related = query.relatedActivities === true;
      if (!along(t, row, (ix) => (related ? ix.relatedActivities : ix.activities).includes(activity))) {
        return false;
      }
    }
    if (registration !== undefined && !along(t, row, (ix) => ix.registration === registration)) return false;
    return true;
  }

  return {
    async insertStatements(
      scope,
      statements: readonly NewStatement[],
      extras?: InsertExtras,
    ): Promise<InsertResult> {
      const t = tenant(scope);
      const conflicts = new Set<string>();
      const batch = new Set<string>();
      for (const statement of statements) {
        if (t.byId.has(statement.id) || batch.has(statement.id)) conflicts.add(statement.id);
        batch.add(statement.id);
      }
      if (conflicts.size > 0) return { ok: false, reason: 'conflict', ids: [...conflicts] };
      for (const statement of statements) {
        const storedMs = Date.parse(statement.stored);
        const row: Row = {
          seq: ++seq,
          id: statement.id,
          statement: structuredClone(statement.statement),
          stored: statement.stored,
          storedMs,
          index: structuredClone(statement.index),
        };
        t.byId.set(row.id, row);
        // Rows usually arrive in stored order: search from the end.
        let at = t.rows.length;
        while (at > 0 && compareRows(t.rows[at - 1]!, row) > 0) at--;
        t.rows.splice(at, 0, row);
        if (row.index.voids !== null) t.voidTargets.add(row.index.voids);
      }
      for (const attachment of extras?.attachments ?? []) {
        if (!t.attachments.has(attachment.sha2))
          t.attachments.set(attachment.sha2, copyAttachment(attachment));
      }
      for (const { id, definition } of extras?.activities ?? []) {
        const current = t.activities.get(id) as ActivityDefinition | undefined;
        const merged = mergeActivityDefinition(current, definition as ActivityDefinition);
        t.activities.set(id, structuredClone(merged) as unknown as JsonObject);
      }
      return { ok: true };
    },

    async getStatements(scope, ids) {
      const t = tenant(scope);
      const records: StatementRecord[] = [];
      for (const id of new Set(ids)) {
        const row = t.byId.get(id);
        if (row) records.push(toRecord(t, row));
      }
      return records;
    },

    async queryStatements(scope, query): Promise<StatementPage> {
      const t = tenant(scope);
      const ascending = query.ascending === true;
      const sinceMs = query.since === undefined ? undefined : Date.parse(query.since);
      const untilMs = query.until === undefined ? undefined : Date.parse(query.until);
      const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
      if (query.cursor !== undefined && after === null) {
        throw new LrsError(
          'LRS_INVALID_CURSOR',
          `memoryLrsStore: "${query.cursor}" is not a cursor of this store`,
        );
      }
      const records: StatementRecord[] = [];
      const n = t.rows.length;
      let lastRow: Row | undefined;
      let more = false;
      for (let k = 0; k < n; k++) {
        const row = t.rows[ascending ? k : n - 1 - k]!;
        if (after) {
          const order = compareRows(row, after);
          if (ascending ? order <= 0 : order >= 0) continue;
        }
        if (sinceMs !== undefined && !(row.storedMs > sinceMs)) continue;
        if (untilMs !== undefined && !(row.storedMs <= untilMs)) continue;
        if (!matches(t, row, query)) continue;
        if (records.length === query.limit) {
          more = true;
          break;
        }
        records.push(toRecord(t, row));
        lastRow = row;
      }
      return { records, next: more && lastRow ? encodeCursor(lastRow) : null };
    },

    async putAttachments(scope, attachments) {
      const t = tenant(scope);
      for (const attachment of attachments) {
        if (!t.attachments.has(attachment.sha2))
          t.attachments.set(attachment.sha2, copyAttachment(attachment));
      }
    },

    async getAttachments(scope, sha2s) {
      const t = tenant(scope);
      const found: StoredAttachment[] = [];
      for (const sha2 of new Set(sha2s)) {
        const attachment = t.attachments.get(sha2);
        if (attachment) found.push(copyAttachment(attachment));
      }
      return found;
    },

    async getDocument(scope, key: DocumentKey) {
      const document = tenant(scope).documents.get(parentKey(key.parent))?.get(key.id);
      return document ? copyDocument(document) : null;
    },

    async listDocumentIds(scope, parent, since) {
      return [...listDocuments(scope, parent, since).ids];
    },

    async listDocuments(scope, parent, since) {
      return listDocuments(scope, parent, since);
    },

    async putDocument(scope, key, document, precondition): Promise<DocumentWriteResult> {
      const t = tenant(scope);
      const pk = parentKey(key.parent);
      let documents = t.documents.get(pk);
      if (!preconditionHolds(documents?.get(key.id), precondition)) {
        return { ok: false, reason: 'precondition-failed' };
      }
      if (!documents) {
        documents = new Map();
        t.documents.set(pk, documents);
      }
      documents.set(key.id, copyDocument({ ...document, id: key.id }));
      return { ok: true };
    },

    async deleteDocument(scope, key, precondition): Promise<DocumentWriteResult> {
      const documents = tenant(scope).documents.get(parentKey(key.parent));
      if (!preconditionHolds(documents?.get(key.id), precondition)) {
        return { ok: false, reason: 'precondition-failed' };
      }
      documents?.delete(key.id);
      return { ok: true };
    },

    async deleteDocuments(scope, parent) {
      tenant(scope).documents.delete(parentKey(parent));
    },

    async getActivity(scope, activityId) {
      const definition = tenant(scope).activities.get(activityId);
      return definition ? structuredClone(definition) : null;
    },

    async putActivities(scope, activities) {
      const t = tenant(scope);
      for (const activity of activities) t.activities.set(activity.id, structuredClone(activity.definition));
    },
  };
}
