import type { DocumentParent } from '@scormflow/lrs';

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
