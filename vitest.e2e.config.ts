// Browser tests: drive the built app (dist/) in headless Chromium. Run after `vite build`.
import './test/support/nodeCompat.mjs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    // One browser at a time: the machine is small and Chromium is heavy.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
