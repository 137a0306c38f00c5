/**
 * Size budget of the browser-facing entry: the SCORM 1.2 + 2004 APIs bundled for the browser with
 * esbuild (ESM, minified) and gzipped at level 9, the same way `bench/run.ts` reports it.
 * The budget is the product target, 12 KiB: a change may not cross it.
 */
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const PKG = resolve(import.meta.dirname, '..');
const ENTRY = resolve(PKG, 'src', 'index.ts');
const BUDGET_GZIP_BYTES = 12 * 1024;

async function bundle(contents: string): Promise<Uint8Array> {
  const out = await build({
    stdin: { contents, resolveDir: PKG, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    target: 'es2022',
    conditions: ['@scormflow/source'],
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.contents ?? new Uint8Array();
}

describe('browser bundle', () => {
  it('bundles for the browser without Node built-ins and stays within the gzip budget', async () => {
    const code = await bundle(
      `export { createScorm12Api, createScorm2004Api } from ${JSON.stringify(ENTRY)};`,
    );
    const text = new TextDecoder().decode(code);
    expect(/from\s*["']node:/.test(text), 'the browser bundle imports a Node built-in').toBe(false);
    // The bundle must work on its own: load it as a module and run both APIs once.
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
      createScorm12Api: () => { LMSInitialize(p: string): string; LMSGetValue(e: string): string };
      createScorm2004Api: () => { Initialize(p: string): string; GetValue(e: string): string };
    };
    const a12 = mod.createScorm12Api();
    expect(a12.LMSInitialize('')).toBe('true');
    expect(a12.LMSGetValue('cmi.core.lesson_status')).toBe('not attempted');
    const a2004 = mod.createScorm2004Api();
    expect(a2004.Initialize('')).toBe('true');
    expect(a2004.GetValue('cmi.completion_status')).toBe('unknown');
    const gz = gzipSync(code, { level: 9 }).length;
    console.log(
      `@scormflow/cmi 1.2 + 2004 APIs: ${code.length} B minified, ${gz} B gzip (budget ${BUDGET_GZIP_BYTES} B)`,
    );
    expect(gz).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
