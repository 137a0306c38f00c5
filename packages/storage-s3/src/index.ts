export type { S3StorageOptions } from './s3-storage.js';
export { MIN_PART_BYTES, s3Storage } from './s3-storage.js';
