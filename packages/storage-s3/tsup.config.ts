import { packageConfig } from '../../tooling/tsup/package-config.js';

export default packageConfig({
  entry: { index: 'src/index.ts' },
  target: 'node20',
});
