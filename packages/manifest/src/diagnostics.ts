/**
 * Diagnostics: every finding about a package is a value with a stable `code`, a severity, the file
 * and position it applies to, a plain-language message and a fix hint. Codes never change meaning
 * once published; new findings get new codes.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable machine-readable code, e.g. `ITEM_RESOURCE_MISSING`. */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** What is wrong, in plain language, naming the offending identifier or path. */
  readonly message: string;
  /** Package-relative path of the file the finding is about (`imsmanifest.xml` for the manifest). */
  readonly file?: string;
  /** 1-based line in `file`, when known. */
  readonly line?: number;
  /** 1-based column in `file`, when known. */
  readonly column?: number;
  /** What to do about it. */
  readonly hint?: string;
}

/**
 * Every diagnostic code with its default severity. Grouped by the layer that raises it:
 * ZIP_* (reading the archive), PKG_* (package layout), XML_* (the manifest as XML), MANIFEST_* and
 * below (the content-packaging and SCORM rules), DOCTOR_* (repairs).
 */
export const DIAGNOSTIC_CODES = {
  // --- archive (node entry) ---
  ZIP_UNREADABLE: 'error',
  ZIP_PATH_TRAVERSAL: 'error',
  ZIP_ABSOLUTE_PATH: 'error',
  ZIP_SYMLINK: 'error',
  ZIP_ENCRYPTED: 'error',
  ZIP_DUPLICATE_ENTRY: 'error',
  ZIP_TOO_MANY_ENTRIES: 'error',
  ZIP_TOO_LARGE: 'error',
  ZIP_COMPRESSION_RATIO: 'error',
  ZIP_UNSUPPORTED_METHOD: 'error',
  ZIP_CORRUPT: 'error',
  ZIP_SIZE_MISMATCH: 'error',
  ZIP_SPECIAL_FILE: 'error',
  ZIP_INVALID_NAME: 'error',

  // --- package layout ---
  PKG_MANIFEST_MISSING: 'error',
  PKG_MANIFEST_IN_SUBFOLDER: 'error',
  PKG_OS_LITTER: 'warning',
  PKG_FILE_MISSING: 'warning',
  PKG_LAUNCH_FILE_MISSING: 'error',
  PKG_FILE_UNLISTED: 'info',

  // --- XML ---
  XML_MALFORMED: 'error',
  XML_DOCTYPE_IGNORED: 'warning',
  XML_TOO_DEEP: 'error',
  XML_TOO_LARGE: 'error',
  XML_ENCODING_UNSUPPORTED: 'error',
  XML_ENTITY_UNDEFINED: 'warning',
  XML_ENCODING_INVALID: 'warning',

  // --- manifest (content packaging + SCORM CAM) ---
  MANIFEST_ROOT_INVALID: 'error',
  MANIFEST_NAMESPACE_MISSING: 'warning',
  MANIFEST_NAMESPACE_WRONG: 'warning',
  MANIFEST_NAMESPACE_UNKNOWN: 'warning',
  MANIFEST_IDENTIFIER_MISSING: 'warning',
  MANIFEST_SUBMANIFEST_IGNORED: 'info',
  SCHEMAVERSION_MISSING: 'warning',
  SCHEMAVERSION_INVALID: 'warning',
  SCHEMAVERSION_MISMATCH: 'warning',
  ORG_NONE: 'error',
  ORG_DEFAULT_UNKNOWN: 'warning',
  ORG_IDENTIFIER_MISSING: 'error',
  ORG_TITLE_MISSING: 'warning',
  ITEM_IDENTIFIER_MISSING: 'warning',
  IDENTIFIER_DUPLICATE: 'warning',
  ITEM_TITLE_MISSING: 'warning',
  ITEM_RESOURCE_MISSING: 'error',
  ITEM_LEAF_NO_RESOURCE: 'warning',
  ITEM_AGGREGATION_WITH_RESOURCE: 'warning',
  RESOURCE_IDENTIFIER_MISSING: 'warning',
  RESOURCE_HREF_MISSING: 'error',
  RESOURCE_SCORMTYPE_MISSING: 'warning',
  RESOURCE_DEPENDENCY_UNKNOWN: 'warning',
  LAUNCH_NONE: 'error',
  MASTERYSCORE_PARTIAL: 'warning',
  MASTERYSCORE_ZERO: 'warning',
  VALUE_INVALID: 'warning',
  OBJECTIVES_GLOBAL_DEFAULT: 'info',
  SEQ_UNKNOWN_OBJECTIVE: 'warning',
  SEQ_UNKNOWN_ACTIVITY: 'warning',
  SEQ_COLLECTION_UNKNOWN: 'error',

  // --- doctor (repairs) ---
  DOCTOR_REROOTED: 'info',
  DOCTOR_LITTER_REMOVED: 'info',
  DOCTOR_FILES_LISTED: 'info',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Builds a diagnostic with the code's default severity unless one is given. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  where: Omit<Diagnostic, 'code' | 'severity' | 'message'> & { severity?: Severity } = {},
): Diagnostic {
  const { severity, ...rest } = where;
  return { code, severity: severity ?? DIAGNOSTIC_CODES[code], message, ...rest };
}

/** True when no diagnostic is an error. */
export function isValid(diagnostics: readonly Diagnostic[]): boolean {
  return !diagnostics.some((d) => d.severity === 'error');
}
