/**
 * The current view as an image, at the screen's resolution or twice it (for a mayor's slides), and the ground
 * distance one CSS pixel spans near the bottom of the view (for the picture's scale bar). At 2× the scene is
 * rendered again at that size, its tiles loaded for it, then set back.
 */
import { Cartesian2, Cartesian3 } from 'cesium';
import type { TwinViewer } from './create-viewer';
import { whenSceneIdle } from './idle';

export interface SceneShot {
  readonly image: HTMLCanvasElement;
  /** The view's size in CSS pixels; the image is `factor` times larger. */
  readonly cssWidth: number;
  readonly cssHeight: number;
  /** Metres of ground per CSS pixel at the lower middle of the view; null when the sky is there. */
  readonly metresPerCssPixel: number | null;
}

function groundMetresPerPixel(viewer: TwinViewer, cssWidth: number, cssHeight: number): number | null {
  const { camera, globe } = viewer.scene;
  const y = cssHeight * 0.8;
  const a = camera.pickEllipsoid(new Cartesian2(cssWidth / 2 - 50, y), globe.ellipsoid);
  const b = camera.pickEllipsoid(new Cartesian2(cssWidth / 2 + 50, y), globe.ellipsoid);
  return a && b ? Cartesian3.distance(a, b) / 100 : null;
}

function nextFrame(viewer: TwinViewer): Promise<void> {
  return new Promise((resolve) => {
    const off = viewer.scene.postRender.addEventListener(() => {
      off();
      resolve();
    });
    viewer.scene.requestRender();
  });
}

export async function captureScene(viewer: TwinViewer, factor: 1 | 2): Promise<SceneShot> {
  const { widget, scene } = viewer;
  const canvas = scene.canvas;
  const cssWidth = canvas.clientWidth;
  const cssHeight = canvas.clientHeight;
  const before = widget.resolutionScale;
  const wanted = Math.round(cssWidth * factor);
  try {
    if (canvas.width !== wanted) {
      widget.resolutionScale = (before * wanted) / Math.max(1, canvas.width);
      await nextFrame(viewer);
      // More pixels ask for finer tiles: wait until they are in.
      await whenSceneIdle(widget, { timeoutMs: 60_000 }).catch(() => undefined);
    }
    await nextFrame(viewer);
    const image = document.createElement('canvas');
    image.width = canvas.width;
    image.height = canvas.height;
    image.getContext('2d')!.drawImage(canvas, 0, 0);
    return { image, cssWidth, cssHeight, metresPerCssPixel: groundMetresPerPixel(viewer, cssWidth, cssHeight) };
  } finally {
    if (widget.resolutionScale !== before) {
      widget.resolutionScale = before;
      scene.requestRender();
    }
  }
}
