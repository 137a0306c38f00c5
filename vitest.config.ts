import { defineConfig } from 'vitest/config';

/**
 * One test run for the whole monorepo. Every workspace folder is a project; all of them resolve
 * internal packages to their TypeScript source through the `@scormflow/source` export condition,
 * so no build step is needed before testing.
 */
export default defineConfig({
  resolve: { conditions: ['@scormflow/source'] },
  ssr: { resolve: { conditions: ['@scormflow/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'tooling', root: 'tooling', include: ['**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'packages', root: 'packages', include: ['**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'apps', root: 'apps', include: ['**/*.test.ts'] },
      },
    ],
    reporters: ['default', './tooling/scripts/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
