/**
 * Builds the IIFE of `/runtime.js` with esbuild and terser (Node only): used in memory by the source entry of
 * `@scormflow/runtime-bridge/bundle` and by the package build, which stores the result in
 * `dist/bundle.js` so that production needs neither.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { minify } from 'terser';

/** The minified IIFE and a short hash of its content. */
export interface RuntimeBundle {
  code: string;
  /** 12 hex digits of the SHA-256 of `code`: for a cache-busting URL or an ETag. */
  hash: string;
}

const ENTRY = resolve(import.meta.dirname, 'iife.ts');

/**
 * Builds the IIFE from the package sources (`@scormflow/cmi` through its source condition):
 * esbuild bundles and simplifies the syntax, terser mangles. `thorough` adds terser's compressor
 * (two passes): about 1.5% smaller gzipped, but seconds instead of about one second, so only the
 * package build uses it. `entry` is `src/iife.ts`; the build config passes it because it runs
 * from a bundled copy.
 */
export async function buildRuntimeBundle(
  options: { entry?: string; thorough?: boolean } = {},
): Promise<RuntimeBundle> {
  const out = await build({
    entryPoints: [options.entry ?? ENTRY],
    bundle: true,
    minifySyntax: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['@scormflow/source'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const minified = await minify(out.outputFiles[0]?.text ?? '', {
    ecma: 2020,
    compress: options.thorough ? { passes: 2 } : false,
    // also the names of the player's internal session fields, which never leave the bundle (not
    // in storage, messages or the public API): spelled out, so nothing else can be renamed
    mangle: { properties: { regex: /^(lastSeq|guarded|autocommit|iframe|direct|dirty|stored|answered)$/ } },
    format: { comments: false },
  });
  const code = minified.code ?? '';
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  return { code, hash };
}
