export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.js';
export { DIAGNOSTIC_CODES, diagnostic, isValid } from './diagnostics.js';
export type { FileSource, FileSourceEntry } from './file-source.js';
export { memorySource } from './file-source.js';
