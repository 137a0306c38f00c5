import { describe, expect, it } from 'vitest';
import { NODE_ONLY_GLOBALS } from './rules.js';
import { scanPureSource } from './scan.js';

const scan = (src: string, allowed: string[] = []) =>
  scanPureSource('x.ts', src, allowed, NODE_ONLY_GLOBALS).map((v) => v.message);

describe('scanPureSource', () => {
  it('flags Node built-ins in every import form', () => {
    expect(scan(`import fs from 'node:fs';`)).toEqual(['imports the Node built-in "node:fs"']);
    expect(scan(`import { join } from "path";`)).toEqual(['imports the Node built-in "path"']);
    expect(scan(`export * from 'fs/promises';`)).toEqual(['imports the Node built-in "fs/promises"']);
    expect(scan(`const z = await import('zlib');`)).toEqual(['imports the Node built-in "zlib"']);
    expect(scan(`import 'node:stream';`)).toEqual(['imports the Node built-in "node:stream"']);
  });

  it('flags internal packages that are not allowed, accepts allowed ones and subpaths', () => {
    expect(scan(`import { x } from '@scormflow/db';`)).toEqual([
      'imports the internal package "@scormflow/db", which it must not',
    ]);
    expect(scan(`import type { E } from '@scormflow/cmi/events';`, ['@scormflow/cmi'])).toEqual([]);
  });

  it('flags Node-only globals in code but not in comments or strings', () => {
    expect(scan(`const b = Buffer.from('x');`)).toEqual(['uses the Node-only global "Buffer"']);
    expect(scan(`if (process.env.X) {}`)).toEqual(['uses the Node-only global "process"']);
    expect(scan(`// Buffer.from is not used here\nconst s = "process.env";`)).toEqual([]);
    expect(scan(`const o = { process: 1 }; o.process.x;`)).toEqual([]);
  });

  it('accepts third-party and relative imports', () => {
    expect(scan(`import { SaxesParser } from 'saxes';\nimport { a } from './a.js';`)).toEqual([]);
  });
});
