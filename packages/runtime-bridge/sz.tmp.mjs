import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

for (const target of ['es2020', 'es2022']) {
  const out = await build({
    entryPoints: ['src/iife.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target,
    write: false,
    conditions: ['@scormflow/source'],
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  });
  const code = out.outputFiles[0].text;
  console.log(target, code.length, gzipSync(code, { level: 9 }).length);
}
const cmi = await build({
  stdin: {
    contents:
      "export { createScorm12Api, createScorm2004Api, evaluateCompletion2004, evaluateSuccess2004, evaluateStatus12 } from '@scormflow/cmi'",
    resolveDir: '.',
    loader: 'ts',
  },
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  write: false,
  conditions: ['@scormflow/source'],
  logLevel: 'silent',
});
console.log('cmi part', gzipSync(cmi.outputFiles[0].text, { level: 9 }).length);
