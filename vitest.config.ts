import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // CI shares a 2-core machine with other work: a test that fails is run once more there before it
    // counts as failed (the JSON report and the summary line still list it if it fails twice).
    // Locally there is no retry, so a flaky test shows.
    retry: process.env.CI === 'true' ? 1 : 0,
  },
});
