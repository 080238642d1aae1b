import path from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import app from '../../vite.config.ts';

/** The frame-time page of the scale bench, built with the app's own Cesium setup. */
export default mergeConfig(app, defineConfig({
  root: path.resolve(import.meta.dirname, 'page'),
  build: { outDir: path.resolve(import.meta.dirname, '../.out/scale-page'), emptyOutDir: true },
}));
