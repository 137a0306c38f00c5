import { packageConfig } from '../../tooling/tsup/package-config.js';

export default packageConfig({
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  target: 'es2022',
});
