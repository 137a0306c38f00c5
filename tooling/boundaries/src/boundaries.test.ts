import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_ONLY_GLOBALS, PURE_PACKAGES } from './rules.js';
import { scanPureSource } from './scan.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function sourceFiles(dir: string, exempt: readonly string[], base: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const rel = relative(base, full);
    if (exempt.some((e) => rel === e || rel.startsWith(`${e}/`))) continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full, exempt, base));
    else if (/\.(ts|tsx|js|mjs)$/.test(name) && !/\.(test|spec)\.[tj]sx?$/.test(name)) out.push(full);
  }
  return out;
}

describe('dependency direction (ARCHITECTURE.md)', () => {
  for (const rule of PURE_PACKAGES) {
    const pkgDir = join(ROOT, rule.dir);
    it.skipIf(!existsSync(pkgDir))(
      `${rule.dir} stays pure: no Node built-ins, no forbidden internal imports`,
      () => {
        const files = sourceFiles(join(pkgDir, 'src'), rule.exempt, pkgDir);
        expect(files.length).toBeGreaterThan(0);
        const violations = files.flatMap((f) =>
          scanPureSource(relative(ROOT, f), readFileSync(f, 'utf8'), rule.allowedInternal, NODE_ONLY_GLOBALS),
        );
        expect(violations.map((v) => `${v.file}:${v.line} ${v.message}`)).toEqual([]);
      },
    );

    it.skipIf(!existsSync(pkgDir))(`${rule.dir} declares no internal dependency beyond its allowance`, () => {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) =>
        d.startsWith('@scormflow/'),
      );
      expect(deps.filter((d) => !rule.allowedInternal.includes(d))).toEqual([]);
    });
  }

  it('nothing imports from apps/', () => {
    const pkgsDir = join(ROOT, 'packages');
    for (const name of readdirSync(pkgsDir)) {
      const pkgJson = join(pkgsDir, name, 'package.json');
      if (!existsSync(pkgJson)) continue;
      const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      const all = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
      expect(Object.keys(all)).not.toContain('@scormflow/server');
    }
  });
});
