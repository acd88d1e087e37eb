import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs pure logic with no server; `integration` talks to the
// real servers that `npm run infra -- up` starts (npm test does that first).
export default defineConfig({
  // Workspace packages export their TypeScript sources under the `source`
  // condition, so tests run against src/ without a build.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            '{contracts,services/*,infra/runner,dashboards}/test/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.int.test.ts',
            '{services/*,infra/runner,dashboards}/test/**/*.int.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
