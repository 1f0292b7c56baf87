import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repo = import.meta.dirname;

/**
 * The web app: sources in web/, built into web/dist (served by the Fastify server from the same
 * origin). `npx vite` serves it for development with /api proxied to a running server
 * (API_PORT, default 3100).
 */
export default defineConfig({
  root: path.join(repo, 'web'),
  plugins: [react()],
  build: {
    outDir: path.join(repo, 'web', 'dist'),
    emptyOutDir: true,
    // The biggest lazy chunk (ECharts) is over Vite's default warning size; the first page is far below.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    fs: { allow: [repo] },
    proxy: { '/api': `http://127.0.0.1:${process.env.API_PORT ?? 3100}` },
  },
});
