/**
 * Builds the IIFE of `/runtime.js` with esbuild (Node only): used in memory by the source entry of
 * `@scormflow/runtime-bridge/bundle` and by the package build, which stores the result in
 * `dist/bundle.js` so that production needs no esbuild.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { build } from 'esbuild';

/** The minified IIFE and a short hash of its content. */
export interface RuntimeBundle {
  code: string;
  /** 12 hex digits of the SHA-256 of `code`: for a cache-busting URL or an ETag. */
  hash: string;
}

const ENTRY = resolve(import.meta.dirname, 'iife.ts');

/**
 * Builds the IIFE from the package sources (`@scormflow/cmi` through its source condition).
 * `entry` is `src/iife.ts`; the build config passes it because it runs from a bundled copy.
 */
export async function buildRuntimeBundle(entry: string = ENTRY): Promise<RuntimeBundle> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    conditions: ['@scormflow/source'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  return { code, hash };
}
