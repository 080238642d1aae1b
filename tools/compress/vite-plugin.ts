/**
 * Writes a gzip copy (`name.gz`, level 9) beside every compressible file of the production build, so a server
 * with `gzip_static on` (deploy/nginx) sends the smallest encoding without compressing on each request, and an
 * object store or CDN can be given the same files. The quantized-mesh tiles are stored compressed already and
 * are left alone; a copy that saves less than a tenth is not written.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|json|geojson|glb|wasm|svg|xml|txt|csv|bin)$/i;
const MIN_BYTES = 1024;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.isFile() ? [full] : [];
  });
}

export interface CompressReport {
  readonly files: number;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Compresses the files under `dir`; returns what was written. */
export function precompress(dir: string): CompressReport {
  let files = 0;
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of walk(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const raw = readFileSync(file);
    if (raw.length < MIN_BYTES) continue;
    const gz = gzipSync(raw, { level: 9 });
    if (gz.length > raw.length * 0.9) continue;
    writeFileSync(`${file}.gz`, gz);
    files++;
    bytes += raw.length;
    gzipBytes += gz.length;
  }
  return { files, bytes, gzipBytes };
}

/** Last of the build's plugins: runs once every file (the static copies and sw.js included) is written. */
export function precompressed(): Plugin {
  let outDir = 'dist';
  return {
    name: 'sddi-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const r = precompress(outDir);
        this.info(`${r.files} files precompressed: ${(r.bytes / 1048576).toFixed(1)} MB → ${(r.gzipBytes / 1048576).toFixed(1)} MB gzip`);
      },
    },
  };
}
