/**
 * The frame-time half of the scale bench: a loopback static server for the built page and the tilesets, and one
 * fresh Chromium page per tileset, run to the end of the page's fixed flight.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { build } from 'vite';
import { launchChromium } from '../../tools/chromium';

export interface FrameResult { firstViewMs: number; times: number[]; maxMemoryMiB: number; maxTriangles: number; maxCommands: number }

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.glb': 'model/gltf-binary',
  '.subtree': 'application/octet-stream', '.wasm': 'application/wasm', '.png': 'image/png', '.jpg': 'image/jpeg', '.xml': 'application/xml',
};

/** `/tiles/<name>/…` from `tilesRoot`, everything else from the built page. */
function serve(pageDir: string, tilesRoot: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = url.startsWith('/tiles/') ? path.join(tilesRoot, url.slice(7)) : path.join(pageDir, url === '/' ? 'index.html' : url);
    const inside = file.startsWith(pageDir) || file.startsWith(tilesRoot);
    if (!inside || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
  }));
}

export async function buildFramePage(): Promise<string> {
  await build({ configFile: path.join(import.meta.dirname, 'vite.config.ts'), logLevel: 'warn' });
  return path.resolve(import.meta.dirname, '../.out/scale-page');
}

/** Fly the page's path over `tilesRoot/<name>/tileset.json`, starting at lon/lat, `groundM` the ground's ellipsoidal height. */
export async function measureFrames(pageDir: string, tilesRoot: string, name: string, lon: number, lat: number, groundM: number): Promise<FrameResult | { error: string }> {
  const { server, url } = await serve(pageDir, tilesRoot);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${url}/?tileset=/tiles/${name}/tileset.json&lon=${lon}&lat=${lat}&h=${groundM}`);
    await page.waitForFunction(() => 'benchResult' in window, undefined, { timeout: 60_000 });
    return await page.evaluate(() => (window as unknown as { benchResult: Promise<FrameResult | { error: string }> }).benchResult);
  } finally {
    await browser.close();
    server.close();
  }
}
