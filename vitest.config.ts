import { defineConfig } from 'vitest/config';

/** Unit tests: node, pure code only (src/geo, state, layer descriptions, workers' functions, the pipeline). */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Two cores: one fork per core keeps the run predictable beside a running dev server.
    pool: 'forks',
    maxWorkers: 2,
  },
});
