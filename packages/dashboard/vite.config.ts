import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by `parley serve` under /dashboard; assets get content hashes so they can be cached for good.
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  logLevel: 'warn',
});
