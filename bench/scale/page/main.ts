/**
 * Frame time over a buildings tileset (the scale bench): a bare CesiumWidget on the ellipsoid, lite settings, the
 * tileset given in the query (`?tileset=/tiles/x/tileset.json&lon=…&lat=…&h=…`), flown along a fixed path one
 * pose per animation frame. Reports per-frame times, the most memory the tileset's content held and the most
 * triangles and draw calls selected, and the time until the first pose's tiles were all loaded.
 */
import { Cartesian3, Cesium3DTileset, CesiumWidget, Ion, Math as CesiumMath } from 'cesium';
import 'cesium/Build/Cesium/Widgets/CesiumWidget/CesiumWidget.css';

Ion.defaultAccessToken = '';
const q = new URLSearchParams(location.search);
const lon = Number(q.get('lon')), lat = Number(q.get('lat')), h = Number(q.get('h'));
/** Frames of the flight: 6 km north-east at 400 m over the ground, looking ahead and down. */
const FRAMES = 150, PATH_M = 6000;
/** A tiling that cannot keep up is cut short rather than left to run for hours; the frames flown are reported. */
const FIRST_VIEW_LIMIT_MS = 300_000, FLIGHT_LIMIT_MS = 240_000;

const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

interface Stats { numberOfTrianglesSelected: number; numberOfCommands: number }

async function run(): Promise<unknown> {
  const widget = new CesiumWidget('scene', {
    baseLayer: false, useDefaultRenderLoop: false, msaaSamples: 1, skyAtmosphere: false, skyBox: false, showRenderLoopErrors: false,
  });
  widget.scene.fog.enabled = false;
  widget.scene.globe.showGroundAtmosphere = false;
  const pose = (k: number): void => {
    const d = (PATH_M * k) / FRAMES / Math.SQRT2;
    const dLat = d / 111_200, dLon = d / (111_200 * Math.cos(CesiumMath.toRadians(lat)));
    widget.camera.setView({
      destination: Cartesian3.fromDegrees(lon + dLon, lat + dLat, h + 400),
      orientation: { heading: CesiumMath.toRadians(45), pitch: CesiumMath.toRadians(-20), roll: 0 },
    });
  };
  pose(0);
  const t0 = performance.now();
  const tileset = await Cesium3DTileset.fromUrl(q.get('tileset')!, { maximumScreenSpaceError: 16 });
  widget.scene.primitives.add(tileset);
  const stats = (tileset as unknown as { statistics: Stats }).statistics;
  // The first view: render until every tile it needs is in.
  const state = { loaded: false };
  tileset.allTilesLoaded.addEventListener(() => { state.loaded = true; });
  while (!state.loaded && performance.now() - t0 < FIRST_VIEW_LIMIT_MS) { widget.render(); await frame(); }
  const firstViewMs = performance.now() - t0;
  const times: number[] = [];
  let maxMemory = 0, maxTriangles = 0, maxCommands = 0;
  let last = await frame();
  const flight0 = last;
  for (let k = 0; k <= FRAMES && last - flight0 < FLIGHT_LIMIT_MS; k++) {
    pose(k);
    widget.render();
    const now = await frame();
    times.push(now - last);
    last = now;
    maxMemory = Math.max(maxMemory, tileset.totalMemoryUsageInBytes);
    maxTriangles = Math.max(maxTriangles, stats.numberOfTrianglesSelected);
    maxCommands = Math.max(maxCommands, stats.numberOfCommands);
  }
  return { firstViewMs: state.loaded ? firstViewMs : Number.NaN, times, maxMemoryMiB: maxMemory / 1048576, maxTriangles, maxCommands };
}

(window as unknown as { benchResult: Promise<unknown> }).benchResult = run().catch((e: unknown) => ({ error: String(e) }));
