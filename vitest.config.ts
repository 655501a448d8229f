import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real processes (redis-server, coturn, child processes);
    // two workers match the 2-core machines CI runs on.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
