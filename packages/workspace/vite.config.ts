import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** Served under /admin/ beside the public pages and the API, on the same origin (see docs/architecture.md). */
export default defineConfig({
  base: '/admin/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names: cached for a year; index.html is never cached.
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
