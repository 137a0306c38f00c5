import type { LrsStore } from '@scormflow/lrs';

/**
 * An {@link LrsStore} made on its first call: `createApp` may be given a database whose migrations
 * have not run yet (the SQLite store prepares its statements when it is made).
 */
export function lazyLrsStore(make: () => LrsStore): LrsStore {
  // The store and its optional methods, bound to it once (absent as in the store).
  let made: (Pick<LrsStore, 'consistentThrough' | 'listDocuments'> & { store: LrsStore }) | null = null;
  const once = () => {
    if (!made) {
      const store = make();
      made = {
        store,
        consistentThrough: store.consistentThrough?.bind(store),
        listDocuments: store.listDocuments?.bind(store),
      };
    }
    return made;
  };
  const get = (): LrsStore => once().store;
  return {
    // The optional methods are read when a request arrives (the database is migrated by then).
    get consistentThrough() {
      return once().consistentThrough;
    },
    get listDocuments() {
      return once().listDocuments;
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
