import { packageConfig } from '../../tooling/tsup/package-config.js';

export default packageConfig({
  entry: { index: 'src/index.ts', 'scorm/index': 'src/scorm/index.ts' },
  target: 'es2022',
});
