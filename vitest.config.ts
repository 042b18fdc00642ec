import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration files mostly wait on the shared local platform (polls, drains, mail): on 2 cores,
    // four files at a time finish the suite sooner than the default of one worker per spare core.
    maxWorkers: 4,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'functions/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'infra',
          include: ['infra/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/response-check.ts'],
          // A guard against a hang, not a measure: scenarios drain the platform that four files share
          // at a time, and a loaded 2-core machine can take a minute over the longest of them.
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
