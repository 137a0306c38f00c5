/**
 * Parse throughput of `parseManifest` on a ~1 MB SCORM 2004 manifest, beside the baseline of raw
 * saxes event parsing with namespaces (no work in the handlers) on the same document, same run.
 */
import { SaxesParser } from 'saxes';
import { parseManifest } from '../src/parse-manifest.js';
import { generateManifest } from './generate.js';

const xml = generateManifest(1024 * 1024);
const bytes = new TextEncoder().encode(xml).byteLength;

function rawSaxes(): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let n = 0;
  parser.on('opentag', () => {
    n++;
  });
  parser.on('closetag', () => {
    n--;
  });
  parser.on('text', () => {});
  parser.write(xml).close();
  if (n !== 0) throw new Error('unbalanced');
}

function ours(): void {
  const { manifest, diagnostics } = parseManifest(xml);
  if (manifest === null || diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`benchmark manifest did not parse: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  }
}

function stats(times: number[]): { min: number; median: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

/** CPU time of this process in milliseconds: unlike wall time, not inflated by other processes. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs each parser in blocks (saxes, then parseManifest, twice over) and compares the fastest run
 * of each, in CPU time of this process, which other processes on the machine do not inflate.
 * Blocks rather than strict alternation, so that the garbage parseManifest leaves behind is not
 * collected during the baseline's runs.
 */
export function runParseBench(rounds = 25): { saxesMBs: number; parseMBs: number; ratio: number } {
  const mb = bytes / (1024 * 1024);
  for (let i = 0; i < 5; i++) {
    rawSaxes();
    ours();
  }
  const saxesMs: number[] = [];
  const parseMs: number[] = [];
  const block = (fn: () => void, into: number[]) => {
    for (let r = 0; r < rounds; r++) {
      const start = cpuMs();
      fn();
      into.push(cpuMs() - start);
    }
  };
  for (let series = 0; series < 2; series++) {
    block(rawSaxes, saxesMs);
    block(ours, parseMs);
  }
  const s = stats(saxesMs);
  const p = stats(parseMs);
  const saxesMBs = mb / (s.min / 1000);
  const parseMBs = mb / (p.min / 1000);
  const ratio = parseMBs / saxesMBs;
  const fmt = (x: number) => x.toFixed(1).padStart(6);
  console.log(
    `manifest parse: ${(bytes / 1024).toFixed(0)} KB generated SCORM 2004 manifest, 2 x ${rounds} runs each, CPU time`,
  );
  console.log(`                                     best MB/s   median MB/s`);
  console.log(`  saxes (xmlns: true), events only  ${fmt(saxesMBs)}      ${fmt(mb / (s.median / 1000))}`);
  console.log(`  parseManifest (full model)        ${fmt(parseMBs)}      ${fmt(mb / (p.median / 1000))}`);
  console.log(
    `  ratio parseManifest / saxes       ${ratio.toFixed(2).padStart(6)}      ${(s.median / p.median).toFixed(2).padStart(6)}   (target >= 0.50)`,
  );
  return { saxesMBs, parseMBs, ratio };
}
