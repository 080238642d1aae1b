import path from 'node:path';
import { defineConfig } from 'vite';

/** The pool bench page: no Cesium, only the reprojection pool and its module worker, bundled as the app bundles them. */
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'page'),
  base: './',
  build: { target: 'es2022', outDir: path.resolve(import.meta.dirname, '../.out/reproject'), emptyOutDir: true },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1' },
});
