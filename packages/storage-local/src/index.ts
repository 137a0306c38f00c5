export type { DiskStorageOptions } from './disk-storage.js';
export { DISK_HEADER_BYTES, diskStorage } from './disk-storage.js';
