import path from 'node:path';
import { defineConfig } from 'vite';

/** The heatmap bench page: no Cesium, only the aggregation pool, its module worker and the bench's own worker. */
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'page'),
  base: './',
  build: { target: 'es2022', outDir: path.resolve(import.meta.dirname, '../.out/heatmap'), emptyOutDir: true },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1' },
});
