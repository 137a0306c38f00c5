/**
 * Errors thrown by the Node entry. Expected findings about a package are diagnostics (values);
 * these are thrown only where a value cannot be returned: while an entry is being streamed (a CRC
 * mismatch or a size lie is only visible once the data has been read), or on a programming fault
 * (asking for a file that is not in the package, writing an unsafe path).
 */

const BRAND = Symbol.for('scormflow:error');

/**
 * Every code a {@link SourceError} can carry.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT section 4.4.7 (CRC-32), 4.4.8-4.4.9 (sizes)
 */
export const SOURCE_ERROR_CODES = {
  /** The entry's data is damaged: CRC-32 mismatch, invalid deflate stream, bad local header. */
  ZIP_CORRUPT: 'ZIP_CORRUPT',
  /** The entry inflated to more (or fewer) bytes than its header declared: a bomb or damage. */
  ZIP_SIZE_MISMATCH: 'ZIP_SIZE_MISMATCH',
  /** The path is not a file of this package. */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** The source was closed before or while the file was read. */
  SOURCE_CLOSED: 'SOURCE_CLOSED',
  /** A path given to the zip writer or to a directory source would leave the package root. */
  UNSAFE_PATH: 'UNSAFE_PATH',
  /** The zip writer was asked for something the format cannot hold the way it was asked. */
  WRITE_LIMIT: 'WRITE_LIMIT',
  /** A file of a directory source changed into something that is not a regular file. */
  NOT_A_FILE: 'NOT_A_FILE',
} as const;

export type SourceErrorCode = keyof typeof SOURCE_ERROR_CODES;

/**
 * The error thrown by zip and directory sources and by the zip writer.
 * Recognise it with {@link isSourceError}, which also works across two installed copies.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export class SourceError extends Error {
  readonly code: SourceErrorCode;
  /** Package-relative path of the file concerned, when there is one. */
  readonly path: string | undefined;
  readonly [BRAND] = true;

  constructor(code: SourceErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SourceError';
    this.code = code;
    this.path = options.path;
  }
}

/**
 * True for a {@link SourceError}, recognised by its brand and code rather than `instanceof`, so that
 * two installed copies of the package recognise each other's errors.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export function isSourceError(value: unknown): value is SourceError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in SOURCE_ERROR_CODES
  );
}
