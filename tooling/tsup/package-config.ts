import { defineConfig, type Options } from 'tsup';

export interface PackageConfigOptions {
  /** Output name (without extension) to source file. */
  entry: Record<string, string>;
  /** `es2022` for pure packages that also run in browsers, `node20` for Node-only ones. */
  target: 'es2022' | 'node20';
  /** Entries that get a `.d.ts`; default every entry. */
  dtsEntry?: Record<string, string>;
  /** Imports left to the consumer. */
  external?: string[];
}

/**
 * The one build of every published `@scormflow/*` package: ESM, declarations, source maps.
 * tsup's declaration build passes `baseUrl`, which TypeScript 6 reports as deprecated; the
 * deprecation is silenced here, once, for every package.
 */
export function packageConfig(options: PackageConfigOptions): Options | Options[] {
  return defineConfig({
    entry: options.entry,
    format: ['esm'],
    dts: {
      ...(options.dtsEntry ? { entry: options.dtsEntry } : {}),
      compilerOptions: { ignoreDeprecations: '6.0' },
    },
    clean: true,
    target: options.target,
    sourcemap: true,
    ...(options.external ? { external: options.external } : {}),
  }) as Options | Options[];
}
