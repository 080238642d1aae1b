/**
 * The measurement tools in the scene: while a measurement is on, each click picks a point on whatever is there
 * (a roof, a wall, the terrain: `pickPosition` reads the depth buffer) into the store, and the binding draws the
 * points, the line or the closed polygon. The numbers come from `core/geo/measure.ts` in the UI; nothing here
 * computes them.
 */
import {
  Cartesian2,
  Cartesian3,
  Cartographic,
  Color,
  Math as CesiumMath,
  PointPrimitiveCollection,
  PolylineCollection,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  Material,
} from 'cesium';
import { watch, type AppStore } from '../state/store';
import type { MeasureState } from '../state/types';
import type { TwinViewer } from './create-viewer';

const COLOUR = Color.fromCssColorString('#ffd166');

/** The surface point under the cursor: a picked roof or wall where there is one, else the terrain or ellipsoid. */
function surfaceAt(viewer: TwinViewer, position: Cartesian2): Cartesian3 | undefined {
  const scene = viewer.scene;
  if (scene.pickPositionSupported) {
    const p = scene.pickPosition(position);
    if (p) return p;
  }
  const ray = scene.camera.getPickRay(position);
  return (ray && scene.globe.pick(ray, scene)) ?? scene.camera.pickEllipsoid(position);
}

export function bindMeasure(viewer: TwinViewer, store: AppStore): () => void {
  const scene = viewer.scene;
  const points = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  const lines = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
  const handler = new ScreenSpaceEventHandler(scene.canvas);
  handler.setInputAction((e: { position: Cartesian2 }) => {
    if (!store.getState().measure) return;
    const hit = surfaceAt(viewer, e.position);
    if (!hit) return;
    const c = Cartographic.fromCartesian(hit);
    store.getState().addMeasurePoint({ lonDeg: CesiumMath.toDegrees(c.longitude), latDeg: CesiumMath.toDegrees(c.latitude), heightEllipsoidalM: c.height });
  }, ScreenSpaceEventType.LEFT_CLICK);

  const draw = (m: MeasureState | null): void => {
    points.removeAll();
    lines.removeAll();
    if (m && m.points.length > 0) {
      const xyz = m.points.map((p) => Cartesian3.fromDegrees(p.lonDeg, p.latDeg, p.heightEllipsoidalM));
      for (const position of xyz) points.add({ position, pixelSize: 9, color: COLOUR, outlineColor: Color.BLACK, outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY });
      if (xyz.length > 1) {
        const loop = m.mode === 'area' && xyz.length > 2 ? [...xyz, xyz[0]!] : xyz;
        lines.add({ positions: loop, width: 3, material: Material.fromType('Color', { color: COLOUR }) });
      }
    }
    viewer.requestRender();
  };
  draw(store.getState().measure);
  const unwatch = watch(store, (s) => s.measure, draw);
  return () => {
    unwatch();
    handler.destroy();
    scene.primitives.remove(points);
    scene.primitives.remove(lines);
  };
}
