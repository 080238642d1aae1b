import { defineConfig } from 'vitest/config';

/**
 * Browser tests: node drives Debian's Chromium with playwright-core against the production build
 * (`vite preview`). One file at a time: software WebGL takes both cores.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
