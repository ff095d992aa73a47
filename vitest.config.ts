import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most integration tests wait on real-time audio, not the CPU: three files at a time on two cores took the
    // PGlite run from 642 s (one at a time, the default below four cores) to 387 s with the same results.
    maxWorkers: 3,
  },
});
