/**
 * "The scene has settled": terrain and every tileset loaded, no camera flight, for a few rendered frames in a row.
 * `globe.tilesLoaded` alone is true before any tile is requested, so frames are rendered and counted here.
 */
import type { Cesium3DTileset, CesiumWidget, Scene } from 'cesium';
import { isFlying } from './camera';

export function whenSceneIdle(widget: CesiumWidget, opts: { stableFrames?: number; timeoutMs?: number } = {}): Promise<void> {
  const stable = opts.stableFrames ?? 5;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const scene = widget.scene;
  return new Promise((resolve, reject) => {
    let count = 0;
    let sawWork = false;
    const started = performance.now();
    const onProgress = (pending: number) => {
      if (pending > 0) sawWork = true;
    };
    scene.globe.tileLoadProgressEvent.addEventListener(onProgress);
    const tick = () => {
      const tilesets = collectTilesets(scene);
      const busy = !scene.globe.tilesLoaded || tilesets.some((t) => !t.tilesLoaded) || isFlying(widget);
      count = busy ? 0 : count + 1;
      // One extra guard for the very first frames: wait until the globe has asked for tiles at least once.
      if (count >= stable && (sawWork || performance.now() - started > 3000)) {
        scene.globe.tileLoadProgressEvent.removeEventListener(onProgress);
        resolve();
        return;
      }
      if (performance.now() - started > timeoutMs) {
        scene.globe.tileLoadProgressEvent.removeEventListener(onProgress);
        reject(new Error(`scene not idle after ${timeoutMs} ms`));
        return;
      }
      scene.requestRender();
      requestAnimationFrame(tick);
    };
    scene.requestRender();
    requestAnimationFrame(tick);
  });
}

function collectTilesets(scene: Scene): Cesium3DTileset[] {
  const out: Cesium3DTileset[] = [];
  const prims = scene.primitives;
  for (let i = 0; i < prims.length; i++) {
    const p = prims.get(i) as { tilesLoaded?: boolean; show?: boolean };
    if (typeof p.tilesLoaded === 'boolean' && p.show !== false) out.push(p as Cesium3DTileset);
  }
  return out;
}
