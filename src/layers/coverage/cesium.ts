/**
 * The coverage layer in the scene: up to three draped images (source A, source B, and the A − B difference or
 * classes) as imagery layers, and the sites of A and B as points.
 *
 * Imagery layers, not ground primitives, because Cesium's split (`ImageryLayer.splitDirection` with
 * `scene.splitPosition`) works for them and for 3D Tiles: the swipe shows A left and B right over the same
 * terrain and buildings. Points do not split in Cesium, so before each render the binding shows each site only
 * on its own side of the divider (a few hundred screen projections, only when a frame is drawn anyway).
 */
import { OVERLAY_OPACITY } from '../overlay';
import {
  Cartesian2,
  Cartesian3,
  Color,
  Credit,
  DefaultProxy,
  Event,
  GeographicTilingScheme,
  ImageryLayer,
  PointPrimitiveCollection,
  Rectangle,
  SceneTransforms,
  SplitDirection,
  type ImageryProvider,
  type PointPrimitive,
} from 'cesium';
import type { CoverageMode } from '../../state/types';
import type { TwinViewer } from '../../scene/create-viewer';
import type { LonLatImageSpec } from '../../../core/coverage/types';

export interface CoverageImage {
  readonly rgba: Uint8ClampedArray;
  readonly spec: LonLatImageSpec;
}

/** A site to mark: which side it belongs to decides where it shows in the swipe. */
export interface SiteMark {
  readonly lonDeg: number;
  readonly latDeg: number;
  readonly heightM: number;
  readonly side: 'a' | 'b';
  /** A proposed mast of the scenario (drawn larger, in the scenario colour). */
  readonly proposed: boolean;
  /** Pick feature number. */
  readonly feature: number;
}

export interface CoverageScene {
  /** Sets an image (null removes it). `overlay` is the difference or classes image. */
  setImage(slot: 'a' | 'b' | 'overlay', image: CoverageImage | null): void;
  setMode(mode: CoverageMode): void;
  /** Divider position, 0..1 of the canvas width (cheap: called while dragging). */
  setSplit(fraction: number): void;
  showSites(marks: readonly SiteMark[]): void;
  setVisible(visible: boolean): void;
  /** Opacity of the coverage images, 0..1. */
  setOpacity(alpha: number): void;
  dispose(): void;
}

const SITE_COLOUR = { a: Color.fromCssColorString('#e8f1ff'), b: Color.fromCssColorString('#ffd9f2') };
const PROPOSED = Color.fromCssColorString('#ff9f1c');
const OUTLINE = { a: Color.fromCssColorString('#1b4f9c'), b: Color.fromCssColorString('#9c1b6f') };
/** Opacity until the user sets one: the ground and buildings stay readable under the map (see state/types). */
const ALPHA = OVERLAY_OPACITY;

function toCanvas(img: CoverageImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = img.spec.width;
  canvas.height = img.spec.height;
  const data = new ImageData(new Uint8ClampedArray(img.rgba.buffer as ArrayBuffer, img.rgba.byteOffset, img.spec.width * img.spec.height * 4), img.spec.width, img.spec.height);
  canvas.getContext('2d')!.putImageData(data, 0, 0);
  return canvas;
}

/**
 * One image computed in the page, as an imagery provider: a single level-0 tile over the image's rectangle,
 * like Cesium's SingleTileImageryProvider, which only loads from a URL (a PNG round trip per frame otherwise).
 */
class CanvasImageryProvider {
  readonly tilingScheme: GeographicTilingScheme;
  readonly rectangle: Rectangle;
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly maximumLevel = 0;
  readonly minimumLevel = 0;
  readonly tileDiscardPolicy = undefined;
  readonly errorEvent = new Event();
  readonly credit: Credit | undefined = undefined;
  readonly proxy = new DefaultProxy('');
  readonly hasAlphaChannel = true;
  private readonly canvas: HTMLCanvasElement;

  constructor(img: CoverageImage) {
    this.rectangle = Rectangle.fromDegrees(img.spec.westDeg, img.spec.southDeg, img.spec.eastDeg, img.spec.northDeg);
    this.tilingScheme = new GeographicTilingScheme({ rectangle: this.rectangle, numberOfLevelZeroTilesX: 1, numberOfLevelZeroTilesY: 1 });
    this.tileWidth = img.spec.width;
    this.tileHeight = img.spec.height;
    this.canvas = toCanvas(img);
  }

  getTileCredits(): undefined {
    return undefined;
  }

  requestImage(): Promise<HTMLCanvasElement> {
    return Promise.resolve(this.canvas);
  }

  pickFeatures(): undefined {
    return undefined;
  }
}

export function createCoverageScene(viewer: TwinViewer, layerId: string): CoverageScene {
  const scene = viewer.scene;
  let visible = true;
  let mode: CoverageMode = 'single';
  let alpha = ALPHA;
  const layers: Record<'a' | 'b' | 'overlay', ImageryLayer | null> = { a: null, b: null, overlay: null };
  const points = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  let marks: Array<{ p: PointPrimitive; side: 'a' | 'b'; position: Cartesian3 }> = [];
  const scratch = new Cartesian2();

  const apply = (): void => {
    const swipe = mode === 'swipe';
    const overlay = mode === 'diff' || mode === 'classes';
    if (layers.a) {
      layers.a.show = visible && !overlay;
      layers.a.splitDirection = swipe ? SplitDirection.LEFT : SplitDirection.NONE;
    }
    if (layers.b) {
      layers.b.show = visible && swipe;
      layers.b.splitDirection = swipe ? SplitDirection.RIGHT : SplitDirection.NONE;
    }
    if (layers.overlay) layers.overlay.show = visible && overlay;
    points.show = visible;
    viewer.requestRender();
  };

  // Sites follow the divider: A's left of it, B's right; outside the swipe, B's only where B is drawn.
  const placeSites = (): void => {
    if (!visible || marks.length === 0) return;
    const width = scene.canvas.clientWidth;
    const splitX = scene.splitPosition * width;
    for (const m of marks) {
      if (mode === 'single') {
        m.p.show = m.side === 'a';
        continue;
      }
      if (mode !== 'swipe') {
        m.p.show = true;
        continue;
      }
      const win = SceneTransforms.worldToWindowCoordinates(scene, m.position, scratch);
      m.p.show = win !== undefined && (m.side === 'a' ? win.x <= splitX : win.x >= splitX);
    }
  };
  const removePreRender = scene.preRender.addEventListener(placeSites);

  const setImage = (slot: 'a' | 'b' | 'overlay', image: CoverageImage | null): void => {
    const old = layers[slot];
    layers[slot] = null;
    if (image) {
      // The provider satisfies ImageryProvider's contract (see the class comment); Cesium's typings declare
      // a class, hence the cast.
      const layer = new ImageryLayer(new CanvasImageryProvider(image) as unknown as ImageryProvider, { alpha });
      // Replacing in place keeps the stacking order: A under B under the overlay.
      const index = old ? scene.imageryLayers.indexOf(old) : scene.imageryLayers.length;
      scene.imageryLayers.add(layer, index);
      layers[slot] = layer;
    }
    if (old) scene.imageryLayers.remove(old, true);
    apply();
  };

  return {
    setImage,
    setMode(m) {
      mode = m;
      apply();
    },
    setSplit(fraction) {
      scene.splitPosition = Math.min(1, Math.max(0, fraction));
      viewer.requestRender();
    },
    showSites(next) {
      points.removeAll();
      marks = next.map((m) => {
        const position = Cartesian3.fromDegrees(m.lonDeg, m.latDeg, m.heightM);
        const p = points.add({
          position,
          pixelSize: m.proposed ? 13 : 7,
          color: m.proposed ? PROPOSED : SITE_COLOUR[m.side],
          outlineColor: OUTLINE[m.side],
          outlineWidth: m.proposed ? 3 : 1.5,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          id: { layerId, feature: m.feature },
        });
        return { p, side: m.side, position };
      });
      viewer.requestRender();
    },
    setVisible(v) {
      visible = v;
      apply();
    },
    setOpacity(a) {
      alpha = a;
      for (const l of Object.values(layers)) if (l) l.alpha = a;
      viewer.requestRender();
    },
    dispose() {
      removePreRender();
      for (const slot of ['a', 'b', 'overlay'] as const) {
        const l = layers[slot];
        if (l) scene.imageryLayers.remove(l, true);
        layers[slot] = null;
      }
      scene.primitives.remove(points);
      viewer.requestRender();
    },
  };
}
