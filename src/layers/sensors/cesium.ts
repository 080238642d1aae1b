/**
 * The sensor layer in the scene: the heatmap frame draped on the terrain, and one point per station coloured by
 * its value in the current time bucket. Both carry the layer's pick ids (`{ layerId, feature }`).
 *
 * The heatmap is one GroundPrimitive rectangle whose material image is swapped per frame: draping follows the
 * terrain, and a new frame costs one texture upload (no imagery layer rebuilt, no tiles re-requested).
 */
import { OVERLAY_OPACITY } from '../overlay';
import {
  Cartesian3,
  Color,
  GeometryInstance,
  GroundPrimitive,
  ClassificationType,
  Material,
  MaterialAppearance,
  PointPrimitiveCollection,
  Rectangle,
  RectangleGeometry,
  type PointPrimitive,
} from 'cesium';
import type { TwinViewer } from '../../scene/create-viewer';

export interface HeatmapImage {
  readonly rgba: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly westDeg: number;
  readonly southDeg: number;
  readonly eastDeg: number;
  readonly northDeg: number;
}

export interface StationMarks {
  readonly lonDeg: Float64Array;
  readonly latDeg: Float64Array;
  /** RGBA per station (stride 4); alpha 0 = no value in this bucket (drawn hollow). */
  readonly rgba: Uint8Array;
  /** The pick feature number of each station. */
  readonly feature: Uint32Array;
}

export interface SensorScene {
  showHeatmap(image: HeatmapImage | null): void;
  showStations(marks: StationMarks): void;
  setVisible(visible: boolean): void;
  /** Heatmap opacity 0..1. */
  setOpacity(alpha: number): void;
  dispose(): void;
}

const NO_VALUE = Color.fromCssColorString('#9aa0a6').withAlpha(0.6);

function toCanvas(img: HeatmapImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const data = new ImageData(new Uint8ClampedArray(img.rgba.buffer as ArrayBuffer, img.rgba.byteOffset, img.width * img.height * 4), img.width, img.height);
  canvas.getContext('2d')!.putImageData(data, 0, 0);
  return canvas;
}

export function createSensorScene(viewer: TwinViewer, layerId: string): SensorScene {
  const scene = viewer.scene;
  let visible = true;
  let opacity = OVERLAY_OPACITY;
  let drape: { primitive: GroundPrimitive; key: string; material: Material } | null = null;
  const points = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  const marks: PointPrimitive[] = [];

  const removeDrape = (): void => {
    if (drape) scene.groundPrimitives.remove(drape.primitive);
    drape = null;
  };

  return {
    showHeatmap(image) {
      if (!image) {
        removeDrape();
        viewer.requestRender();
        return;
      }
      const key = `${image.westDeg},${image.southDeg},${image.eastDeg},${image.northDeg}`;
      const canvas = toCanvas(image);
      if (drape && drape.key === key) {
        // Same footprint: only the image changes.
        drape.material.uniforms.image = canvas;
      } else {
        removeDrape();
        const material = Material.fromType('Image', { image: canvas, color: new Color(1, 1, 1, opacity) });
        const primitive = new GroundPrimitive({
          geometryInstances: new GeometryInstance({
            geometry: new RectangleGeometry({ rectangle: Rectangle.fromDegrees(image.westDeg, image.southDeg, image.eastDeg, image.northDeg) }),
            id: { layerId, feature: -1 },
          }),
          appearance: new MaterialAppearance({ material, translucent: true, flat: true }),
          // Built on the spot: a rectangle is cheap, and in render-on-demand mode an asynchronous build would wait for an unrelated render to appear.
          asynchronous: false,
          // On the terrain only: buildings and proposed models stand above the heatmap, never tinted by it.
          classificationType: ClassificationType.TERRAIN,
        });
        primitive.show = visible;
        scene.groundPrimitives.add(primitive);
        drape = { primitive, key, material };
      }
      viewer.requestRender();
    },
    showStations(m) {
      const n = m.lonDeg.length;
      while (marks.length > n) points.remove(marks.pop()!);
      for (let i = 0; i < n; i++) {
        let p = marks[i];
        if (!p) {
          p = points.add({ pixelSize: 11, outlineWidth: 2, outlineColor: Color.fromCssColorString('#1b1f24'), disableDepthTestDistance: Number.POSITIVE_INFINITY });
          marks.push(p);
        }
        p.position = Cartesian3.fromDegrees(m.lonDeg[i]!, m.latDeg[i]!, 0);
        const a = m.rgba[i * 4 + 3]!;
        p.color = a === 0 ? NO_VALUE : Color.fromBytes(m.rgba[i * 4]!, m.rgba[i * 4 + 1]!, m.rgba[i * 4 + 2]!, 255);
        p.id = { layerId, feature: m.feature[i]! };
      }
      viewer.requestRender();
    },
    setVisible(v) {
      visible = v;
      points.show = v;
      if (drape) drape.primitive.show = v;
      viewer.requestRender();
    },
    setOpacity(alpha) {
      opacity = alpha;
      if (drape) drape.material.uniforms.color = new Color(1, 1, 1, alpha);
      viewer.requestRender();
    },
    dispose() {
      removeDrape();
      scene.primitives.remove(points);
      viewer.requestRender();
    },
  };
}
