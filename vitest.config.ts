import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration tests measure real time: keep them from competing for the 2 cores
    fileParallelism: false,
    // the JSON file lets .ci/run print a plain "N passed, N failed" closing line
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
