// Builds and serves the browser app. Vite 8 compiles TSX itself (oxc), so no React plugin.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Monaco is one large lazily loaded chunk by nature; warn only well above it.
    chunkSizeWarningLimit: 4000,
  },
});
