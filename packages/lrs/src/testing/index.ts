export type { DescribeLrsStoreOptions, LrsStoreFixture } from './describe-lrs-store.js';
export { describeLrsStore, testInstant, testStatement, testUuid } from './describe-lrs-store.js';
