import { packageConfig } from '../../tooling/tsup/package-config.js';

export default packageConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  target: 'node20',
  external: ['vitest'],
});
