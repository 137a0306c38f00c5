import type { LrsStore } from '@scormflow/lrs';

/**
 * An {@link LrsStore} made on its first call: `createApp` may be given a database whose migrations
 * have not run yet (the SQLite store prepares its statements when it is made).
 */
export function lazyLrsStore(make: () => LrsStore): LrsStore {
  let store: LrsStore | null = null;
  const get = (): LrsStore => {
    store ??= make();
    return store;
  };
  return {
    // The optional methods are read when a request arrives (the database is migrated by then): the
    // store's own, bound to it, or absent as in the store.
    get consistentThrough() {
      const store = get();
      return store.consistentThrough?.bind(store);
    },
    get listDocuments() {
      const store = get();
      return store.listDocuments?.bind(store);
    },
    insertStatements: (scope, statements, extras) => get().insertStatements(scope, statements, extras),
    getStatements: (scope, ids) => get().getStatements(scope, ids),
    queryStatements: (scope, query) => get().queryStatements(scope, query),
    putAttachments: (scope, attachments) => get().putAttachments(scope, attachments),
    getAttachments: (scope, sha2s) => get().getAttachments(scope, sha2s),
    getDocument: (scope, key) => get().getDocument(scope, key),
    listDocumentIds: (scope, parent, since) => get().listDocumentIds(scope, parent, since),
    putDocument: (scope, key, document, precondition) =>
      get().putDocument(scope, key, document, precondition),
    deleteDocument: (scope, key, precondition) => get().deleteDocument(scope, key, precondition),
    deleteDocuments: (scope, parent) => get().deleteDocuments(scope, parent),
    getActivity: (scope, activityId) => get().getActivity(scope, activityId),
    putActivities: (scope, activities) => get().putActivities(scope, activities),
  };
}
