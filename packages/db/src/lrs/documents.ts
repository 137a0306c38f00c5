import type { DocumentList, DocumentParent } from '@scormflow/lrs';

/** The primary key columns of a document's parent; parameters a kind does not have are `''`. */
export function documentParentColumns(parent: DocumentParent): [string, string, string, string] {
  switch (parent.kind) {
    case 'state':
      return [parent.kind, parent.activityId, parent.agent, parent.registration ?? ''];
    case 'activity-profile':
      return [parent.kind, parent.activityId, '', ''];
    case 'agent-profile':
      return [parent.kind, '', parent.agent, ''];
  }
}

/**
 * A {@link DocumentList} of rows of one parent (`updated` in ms since the epoch): the ids sorted
 * by UTF-16 code units, as the contract says, whatever order or collation the database used.
 */
export function documentList(rows: readonly { doc_id: string; updated: number }[]): DocumentList {
  let latest = Number.NEGATIVE_INFINITY;
  for (const row of rows) latest = Math.max(latest, row.updated);
  return {
    ids: rows.map((row) => row.doc_id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    lastModified: rows.length === 0 ? null : new Date(latest).toISOString(),
  };
}
