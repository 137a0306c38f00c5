import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isValid } from '../src/diagnostics.js';
import { parseManifest } from '../src/parse-manifest.js';

const DIR = new URL('./fixtures/manifests/', import.meta.url);
const DOCS = readdirSync(DIR).map((f) => readFileSync(new URL(f, DIR), 'utf8'));
const SNIPPETS = [
  '<',
  '>',
  '&',
  '"',
  '</item>',
  '<item>',
  '<imsss:sequencing IDRef="x">',
  'xml:base="../"',
  '<x:y>',
];

/** A small deterministic generator, so that a failure is reproducible from its seed. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

function mutate(doc: string, rnd: (n: number) => number): string {
  let s = doc;
  for (let k = 0, ops = 1 + rnd(4); k < ops; k++) {
    const at = rnd(s.length);
    const op = rnd(4);
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + rnd(20));
    else if (op === 1) s = s.slice(0, at);
    else if (op === 2) s = s.slice(0, at) + SNIPPETS[rnd(SNIPPETS.length)] + s.slice(at);
    else {
      const b = rnd(s.length);
      s = s.slice(0, Math.min(at, b)) + s.slice(Math.max(at, b));
    }
  }
  return s;
}

describe('parseManifest on damaged input', () => {
  it('never throws, and reports an error whenever it returns no manifest', () => {
    const rnd = random(20261122);
    let rejected = 0;
    for (let i = 0; i < 1500; i++) {
      const doc = mutate(DOCS[rnd(DOCS.length)]!, rnd);
      const { manifest, diagnostics } = parseManifest(doc);
      if (manifest === null) {
        rejected++;
        expect(isValid(diagnostics), doc).toBe(false);
      }
    }
    // The mutations must actually break documents for this test to mean anything.
    expect(rejected).toBeGreaterThan(100);
  });
});
