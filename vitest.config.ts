import { defineConfig } from 'vitest/config';

/**
 * The fuzz tests' long mode (`FUZZ_RUNS=20000`) runs up to 20× the default 1,000 cases per property: the time
 * allowed grows with it, so a long run ends in its verdict, not in a timeout.
 */
const fuzzScale = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? 0) / 1000 || 1);

/** Unit tests: node, pure code only (src/geo, state, layer descriptions, workers' functions, the pipeline). */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000 * fuzzScale,
    // Two cores: one fork per core keeps the run predictable beside a running dev server.
    pool: 'forks',
    maxWorkers: 2,
  },
});
