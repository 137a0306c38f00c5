export type { DiskStorageOptions } from './disk-storage.js';
export { DISK_HEADER_BYTES, diskStorage, STALE_TEMP_MS } from './disk-storage.js';
