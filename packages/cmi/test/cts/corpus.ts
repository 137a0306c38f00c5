import { resolve } from 'node:path';

/** Repository root, four levels above this folder (packages/cmi/test/cts). */
const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

/**
 * Where the third-party conformance corpus lives: `SCORMFLOW_CONFORMANCE_DIR`, or
 * `../shared/conformance` beside the repository.
 */
export function conformanceDir(): string {
  return process.env.SCORMFLOW_CONFORMANCE_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'conformance');
}

/** `SCORMFLOW_CONFORMANCE_REQUIRED=1` turns a missing corpus into a failure instead of a skip. */
export function conformanceRequired(): boolean {
  return process.env.SCORMFLOW_CONFORMANCE_REQUIRED === '1';
}
