import { packageConfig } from '../../tooling/tsup/package-config.js';

export default packageConfig({
  entry: { index: 'src/index.ts', 'cli/main': 'src/cli/main.ts' },
  target: 'node20',
  dtsEntry: { index: 'src/index.ts' },
});
