import path from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import app from '../../vite.config.ts';

/** The baseline page, built with the app's own Cesium setup so only the layers differ. */
export default mergeConfig(app, defineConfig({
  root: path.resolve(import.meta.dirname, 'bare'),
  build: { outDir: path.resolve(import.meta.dirname, '../.out/bare'), emptyOutDir: true },
}));
