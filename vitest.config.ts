import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time on two cores (vitest's default there). Three at a time took the PGlite run from 642 s to
    // 390 s, but under that load the import CLI on PostgreSQL once hung until its 300 s limit (not yet understood):
    // see the issue notes before raising it.
  },
});
