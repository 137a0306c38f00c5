import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../src/diagnostics.js';

const FIXTURES = new URL('./fixtures/manifests/', import.meta.url);

/** A fixture manifest as bytes, exactly as stored. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

/** The codes of some diagnostics, sorted, for exact comparisons. */
export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code).sort();
}
