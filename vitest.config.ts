// Unit tests: everything under test/ except the browser tests in test/e2e.
import './test/support/nodeCompat.mjs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    environment: 'node',
  },
});
