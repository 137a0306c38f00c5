/**
 * Limits applied when a package is opened. Every check happens before anything is extracted, from
 * the central directory, except the ones that can only be made while data flows (an entry that
 * inflates beyond its declared size is stopped at that point).
 *
 * The defaults let a large real course through (thousands of files, hours of video, several GB)
 * and stop the classic attacks: a 42 KB "42.zip" bomb expands 10^5 to 10^6 times, single-layer
 * bombs 1000 times and more, while course content compresses far less (HTML/JS/CSS 3-10x, JSON and
 * SVG rarely beyond 30x, images, audio and video about 1x).
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT section 4.4.8-4.4.9 (sizes)
 */
export interface ZipLimits {
  /**
   * Most entries (files and folders) in one archive. Default 50,000: large courses hold a few
   * thousand files; the central directory for 50,000 entries is a few MB of memory.
   */
  readonly maxEntries: number;
  /**
   * Most bytes all files may expand to. Default 8 GiB: a course with hours of HD video fits, a disk
   * does not fill up from one upload.
   */
  readonly maxTotalUncompressedBytes: number;
  /**
   * Largest compressed archive accepted (on disk, or spooled from a stream). Default 4 GiB.
   */
  readonly maxZipBytes: number;
  /**
   * Highest uncompressed/compressed ratio of one entry. Default 200: well above any text asset,
   * well below a bomb (1,000x and more).
   */
  readonly maxEntryRatio: number;
  /**
   * Highest ratio of all uncompressed bytes to the archive's size. Default 50: a text-only course
   * is about 5-10x overall; nested and overlapping bombs are far beyond.
   */
  readonly maxTotalRatio: number;
  /**
   * Ratios are only checked for entries (and archives) expanding to at least this many bytes.
   * Default 1 MiB: a 100 KB file of spaces compresses 1000x and is harmless.
   */
  readonly ratioThresholdBytes: number;
}

/**
 * The defaults, justified field by field on {@link ZipLimits}.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 50_000,
  maxTotalUncompressedBytes: 8 * 1024 ** 3,
  maxZipBytes: 4 * 1024 ** 3,
  maxEntryRatio: 200,
  maxTotalRatio: 50,
  ratioThresholdBytes: 1024 ** 2,
};

/**
 * Fills in defaults for the limits not given.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export function resolveZipLimits(limits: Partial<ZipLimits> = {}): ZipLimits {
  return { ...DEFAULT_ZIP_LIMITS, ...limits };
}
