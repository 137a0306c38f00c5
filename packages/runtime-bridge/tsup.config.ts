import { resolve } from 'node:path';
import { packageConfig } from '../../tooling/tsup/package-config.js';
import { buildRuntimeBundle } from './src/bundle-build.js';

// The IIFE is built first and written into dist/bundle.js as a string constant.
export default async () => {
  const { code, hash } = await buildRuntimeBundle({ entry: resolve('src/iife.ts'), thorough: true });
  const config = packageConfig({
    entry: { index: 'src/index.ts', bundle: 'src/bundle-dist.ts' },
    target: 'es2022',
  });
  const define = {
    __SCORMFLOW_RUNTIME_CODE__: JSON.stringify(code),
    __SCORMFLOW_RUNTIME_HASH__: JSON.stringify(hash),
  };
  return Array.isArray(config) ? config.map((c) => ({ ...c, define })) : { ...config, define };
};
