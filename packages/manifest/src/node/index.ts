// The package's declaration build uses its browser-safe tsconfig; this entry's types need Node's
// (NodeJS.ReadableStream, Buffer).
/// <reference types="node" />

export { directorySource } from './directory-source.js';
export type { SourceErrorCode } from './errors.js';
export { isSourceError, SOURCE_ERROR_CODES, SourceError } from './errors.js';
export type { ForEachEntryOptions } from './extract.js';
export { DEFAULT_ENTRY_CONCURRENCY, forEachEntry } from './extract.js';
export { openPackage } from './open-package.js';
export type { OpenPackageResult } from './open-zip.js';
export { openZip } from './open-zip.js';
export { openZipStream } from './open-zip-stream.js';
export type { WriteZipOptions, WriteZipResult, ZipWriteFile } from './write-zip.js';
export { writeZip } from './write-zip.js';
export type { ZipLimits } from './zip-limits.js';
export { DEFAULT_ZIP_LIMITS, resolveZipLimits } from './zip-limits.js';
