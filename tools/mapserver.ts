/**
 * Debian's MapServer (cgi-mapserver) as a WMS on 127.0.0.1 for the browser tests: a real OGC service the
 * catalogue reads capabilities from and draws maps of, as it would a public one. fcgiwrap runs mapserv behind a
 * private nginx (a temporary prefix, a free port, no root needed), which sends CORS as public map services do.
 *
 * MapServer 8 reads its configuration only from /etc/mapserver.conf (deploy/mapserver/mapserver.conf: map files
 * only from the folders made here, /tmp/sddi-mapserver-XXXXXX/twin.map). The map serves three layers, all in
 * EPSG:4326 and reprojected by MapServer on request:
 *   relief   the hypsometric tint of the tilesets (800×600, [11, 48, 15, 51])
 *   landsat  the Landsat 8 picture of Plzeň
 *   marker   a solid red square around Cheb (±0.02° lon, ±0.0125° lat): easy to find on a screenshot
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, NGINX_PATH, nginxPreamble } from './nginx';

export const MAPSERV_PATH = '/usr/lib/cgi-bin/mapserv';
export const FCGIWRAP_PATH = '/usr/sbin/fcgiwrap';
const MAPSERVER_CONF = '/etc/mapserver.conf';
const TILESETS = path.resolve(import.meta.dirname, '../tilesets');

/** Cheb's centre, where the `marker` layer draws its red square. */
export const CHEB = { lonDeg: 12.3713, latDeg: 50.0795 } as const;
export const MARKER_HALF = { lonDeg: 0.02, latDeg: 0.0125 } as const;

export interface MapServer {
  /** The WMS endpoint, e.g. http://127.0.0.1:PORT/wms */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export const hasMapServer = (): boolean => [MAPSERV_PATH, FCGIWRAP_PATH, NGINX_PATH, MAPSERVER_CONF].every((f) => existsSync(f));

type Bbox = readonly [number, number, number, number];

/** The bbox tilesets/manifest.json gives a layer (WGS84 degrees: west, south, east, north). */
function manifestBbox(id: string): Bbox {
  const m = JSON.parse(readFileSync(path.join(TILESETS, 'manifest.json'), 'utf8')) as { layers: Array<{ id: string; bbox?: number[] }> };
  const b = m.layers.find((l) => l.id === id)?.bbox;
  if (b?.length !== 4) throw new Error(`tilesets/manifest.json has no bbox for ${id}`);
  return b as unknown as Bbox;
}

/** PNG width and height from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  if (b.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Copy a north-up PNG covering `bbox` into `dir` with its world file (.pgw: pixel sizes, then the top-left pixel's centre). */
function placeRaster(src: string, dir: string, name: string, bbox: Bbox): string {
  const dest = path.join(dir, `${name}.png`);
  copyFileSync(src, dest);
  const { width, height } = pngSize(src);
  const [w, s, e, n] = bbox;
  const dx = (e - w) / width;
  const dy = (n - s) / height;
  writeFileSync(path.join(dir, `${name}.pgw`), [dx, 0, 0, -dy, w + dx / 2, n - dy / 2].map((v) => v.toFixed(12)).join('\n') + '\n');
  return dest;
}

function mapfile(dir: string, baseUrl: string): string {
  const relief = placeRaster(path.join(TILESETS, 'relief/hypsometric-tint.png'), dir, 'relief', manifestBbox('relief-tint'));
  const landsat = placeRaster(path.join(TILESETS, 'imagery/plzen_landsat8_rgb.png'), dir, 'landsat', manifestBbox('imagery-plzen-landsat8-rgb'));
  const [x0, x1] = [CHEB.lonDeg - MARKER_HALF.lonDeg, CHEB.lonDeg + MARKER_HALF.lonDeg];
  const [y0, y1] = [CHEB.latDeg - MARKER_HALF.latDeg, CHEB.latDeg + MARKER_HALF.latDeg];
  const ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]].map(([x, y]) => `${x!.toFixed(6)} ${y!.toFixed(6)}`).join(' ');
  return `MAP
  NAME "twin"
  STATUS ON
  EXTENT 11 48 15 51
  SIZE 512 512
  UNITS DD
  IMAGETYPE "png"
  PROJECTION "init=epsg:4326" END
  OUTPUTFORMAT
    NAME "png"
    DRIVER "AGG/PNG"
    MIMETYPE "image/png"
    IMAGEMODE RGBA
    EXTENSION "png"
    TRANSPARENT ON
  END
  WEB
    METADATA
      "wms_title" "SDDI Twin test map server"
      "wms_rootlayer_name" ""
      "wms_abstract" "MapServer on loopback for the SDDI Twin browser tests"
      "wms_onlineresource" "${baseUrl}?"
      "wms_srs" "EPSG:4326 EPSG:3857"
      "wms_enable_request" "*"
      "wms_encoding" "UTF-8"
    END
  END
  LAYER
    NAME "relief"
    TYPE RASTER
    STATUS ON
    DATA "${relief}"
    PROJECTION "init=epsg:4326" END
    METADATA
      "wms_title" "Hypsometric relief"
    END
  END
  LAYER
    NAME "landsat"
    TYPE RASTER
    STATUS ON
    DATA "${landsat}"
    PROJECTION "init=epsg:4326" END
    METADATA
      "wms_title" "Landsat 8 Plzeň"
    END
  END
  LAYER
    NAME "marker"
    TYPE POLYGON
    STATUS ON
    EXTENT ${x0.toFixed(6)} ${y0.toFixed(6)} ${x1.toFixed(6)} ${y1.toFixed(6)}
    PROJECTION "init=epsg:4326" END
    METADATA
      "wms_title" "Cheb marker"
    END
    FEATURE
      POINTS ${ring} END
    END
    CLASS
      STYLE
        COLOR 255 0 0
      END
    END
  END
END
`;
}

function nginxConf(dir: string, port: number, sock: string): string {
  return `${nginxPreamble(dir)}
  server {
    listen 127.0.0.1:${port};
    location /wms {
      fastcgi_pass unix:${sock};
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME ${MAPSERV_PATH};
      fastcgi_param MS_MAPFILE ${path.join(dir, 'twin.map')};
      add_header Access-Control-Allow-Origin "*" always;
    }
  }
}
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Start MapServer behind fcgiwrap and nginx on a free loopback port; ready when GetCapabilities answers 200. */
export async function startMapServer(): Promise<MapServer> {
  // The folder name must match MS_MAP_PATTERN in /etc/mapserver.conf: /tmp itself, not $TMPDIR.
  const dir = mkdtempSync('/tmp/sddi-mapserver-');
  let fcgi: ChildProcess | null = null;
  let nginx: ChildProcess | null = null;
  const stop = async () => {
    // nginx first (SIGQUIT: it finishes the requests under way), then fcgiwrap.
    if (nginx) await stopChild(nginx, 'SIGQUIT');
    if (fcgi) await stopChild(fcgi, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The nginx workers may run as another user (nginx started as root): they reach the socket through the folder.
    chmodSync(dir, 0o755);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}/wms`;
    writeFileSync(path.join(dir, 'twin.map'), mapfile(dir, baseUrl));
    const sock = path.join(dir, 'fcgi.sock');
    let fcgiErr = '';
    const f = spawn(FCGIWRAP_PATH, ['-c', '2', '-s', `unix:${sock}`, '-p', MAPSERV_PATH], { stdio: ['ignore', 'ignore', 'pipe'] });
    fcgi = f;
    f.stderr?.on('data', (d: Buffer) => (fcgiErr += d.toString()));
    for (let i = 0; !existsSync(sock); i++) {
      if (f.exitCode !== null || i > 100) throw new Error(`fcgiwrap did not start: ${fcgiErr}`);
      await sleep(50);
    }
    chmodSync(sock, 0o666);

    writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, port, sock));
    let nginxErr = '';
    const n = spawn(NGINX_PATH, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx = n;
    n.stderr?.on('data', (d: Buffer) => (nginxErr += d.toString()));

    const caps = `${baseUrl}?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0`;
    for (let i = 0; ; i++) {
      if (n.exitCode !== null) throw new Error(`nginx did not start: ${nginxErr || readLog(path.join(dir, 'error.log'))}`);
      const status = await fetch(caps).then(
        (r) => r.arrayBuffer().then(() => r.status),
        () => 0,
      );
      if (status === 200) break;
      if (i > 100) throw new Error(`MapServer did not answer GetCapabilities on ${baseUrl} (HTTP ${status}): ${readLog(path.join(dir, 'error.log'))}${fcgiErr}`);
      await sleep(50);
    }
    return { baseUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
