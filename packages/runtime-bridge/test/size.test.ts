/**
 * Size budget of `/runtime.js`: the IIFE (bridge, frame mode and the @scormflow/cmi model it
 * runs), minified and gzipped at level 9, must stay under 16 KiB.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRuntimeBundle } from '../src/bundle-build.js';
import { runtimeBundle } from '../src/bundle-source.js';

const BUDGET_GZIP_BYTES = 16 * 1024;

describe('runtime bundle', () => {
  it('is a browser IIFE that sets window.ScormFlow, with a content hash', async () => {
    const { code, hash } = await runtimeBundle();
    expect(hash).toMatch(/^[0-9a-f]{12}$/);
    expect(code).not.toMatch(/\brequire\(|from\s*["']node:/);
    // run it in a bare global with a minimal window: it defines ScormFlow and starts no frame mode
    const win: Record<string, unknown> = { name: '' };
    new Function('window', 'globalThis', `${code}`)(win, win);
    const sf = win.ScormFlow as { createBridge: unknown; startFrame: unknown; frame: unknown };
    expect(typeof sf.createBridge).toBe('function');
    expect(typeof sf.startFrame).toBe('function');
    expect(sf.frame).toBeNull();
    // the same sources give the same code and hash (the promise is cached)
    expect((await runtimeBundle()).hash).toBe(hash);
  });

  it('stays within the gzip budget as published (the package build: terser with its compressor)', async () => {
    const { code } = await buildRuntimeBundle({ thorough: true });
    const gz = gzipSync(code, { level: 9 }).length;
    const dev = gzipSync((await runtimeBundle()).code, { level: 9 }).length;
    console.log(
      `/runtime.js: ${code.length} B minified, ${gz} B gzip (budget ${BUDGET_GZIP_BYTES} B); workspace build ${dev} B gzip`,
    );
    expect(gz).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  }, 30_000);
});
