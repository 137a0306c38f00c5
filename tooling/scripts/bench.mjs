#!/usr/bin/env node
// Runs every workspace package's `bench` script, one after another, so that figures are not
// disturbed by a concurrent benchmark. Pass package names to run only those.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const only = new Set(process.argv.slice(2));
let failed = false;
for (const group of ['packages', 'apps']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    const pkgPath = join(dir, name, 'package.json');
    if (!existsSync(pkgPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    if (!pkg.scripts?.bench) continue;
    if (only.size > 0 && !only.has(pkg.name) && !only.has(name)) continue;
    console.log(`\n### ${pkg.name}\n`);
    const r = spawnSync('pnpm', ['run', '--silent', 'bench'], { cwd: join(dir, name), stdio: 'inherit' });
    if (r.status !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
