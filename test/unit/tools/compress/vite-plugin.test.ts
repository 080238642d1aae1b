import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { precompress } from '../../../../tools/compress/vite-plugin';

describe('precompressed build files', () => {
  it('writes a .gz that unpacks to the very file, for compressible files only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sddi-gz-'));
    mkdirSync(path.join(dir, 'tilesets/terrain'), { recursive: true });
    const json = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `feature ${i}` })));
    writeFileSync(path.join(dir, 'data.json'), json);
    writeFileSync(path.join(dir, 'small.js'), 'export {};');
    writeFileSync(path.join(dir, 'tilesets/terrain/0.terrain'), Buffer.alloc(5000, 7));
    // Random bytes do not compress: no copy that saves nothing.
    writeFileSync(path.join(dir, 'noise.bin'), randomBytes(5000));
    const r = precompress(dir);
    expect(r.files).toBe(1);
    expect(gunzipSync(readFileSync(path.join(dir, 'data.json.gz'))).toString()).toBe(json);
    expect(existsSync(path.join(dir, 'small.js.gz'))).toBe(false);
    expect(existsSync(path.join(dir, 'tilesets/terrain/0.terrain.gz'))).toBe(false);
    expect(existsSync(path.join(dir, 'noise.bin.gz'))).toBe(false);
  });
});
