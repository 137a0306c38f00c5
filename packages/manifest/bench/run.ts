/**
 * The package benchmark: manifest parse throughput, then (when present) the package import
 * benchmark in `./import.ts`.
 */
import { existsSync } from 'node:fs';
import { runParseBench } from './parse.js';

runParseBench();
const importBench = new URL('./import.ts', import.meta.url);
if (existsSync(importBench)) {
  await import(importBench.href);
}
