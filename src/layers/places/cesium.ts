/**
 * Municipal outlines (thin, drawn when near) and place names (ranked, decluttered on screen, in the UI language).
 * Outlines are plain lines at the ground heights the pipeline wrote, seen through the relief where it hides them
 * (a draped line per municipality would cost a software-rendered frame seconds). Labels are created only when
 * first shown; decluttering runs when the camera stops and when the language changes, never per frame.
 */
import {
  ArcType,
  Cartesian3,
  Color,
  DistanceDisplayCondition,
  GeometryInstance,
  LabelCollection,
  LabelStyle,
  Material,
  PolylineMaterialAppearance,
  PolylineGeometry,
  Primitive,
  SceneTransforms,
  type Label,
} from 'cesium';
import { packLines, unpackLines } from '../../../core/geo/buffers';
import { watch } from '../../state/store';
import type { MountLayer } from '../types';
import { declutter, labelText, OUTLINE_MAX_HEIGHT_M, parsePlaces, RANK_MAX_DISTANCE_M, type LabelBox } from './description';

const FONTS = { 1: '700 17px system-ui, sans-serif', 2: '600 15px system-ui, sans-serif', 3: '600 13px system-ui, sans-serif', 4: '500 12px system-ui, sans-serif' } as const;
const FONT_PX = { 1: 17, 2: 15, 3: 13, 4: 12 } as const;
const OUTLINE = Color.fromCssColorString('rgba(255, 255, 255, 0.6)');
const OUTLINE_HIDDEN = Color.fromCssColorString('rgba(255, 255, 255, 0.25)');

function outlinePrimitive(ecef: readonly Float64Array[]): Primitive {
  const instances = ecef.filter((l) => l.length >= 6).map((l) => new GeometryInstance({
    geometry: new PolylineGeometry({ positions: Cartesian3.unpackArray(Array.from(l)), width: 1.5, arcType: ArcType.NONE, vertexFormat: PolylineMaterialAppearance.VERTEX_FORMAT }),
  }));
  return new Primitive({
    geometryInstances: instances,
    appearance: new PolylineMaterialAppearance({ material: Material.fromType('Color', { color: OUTLINE }) }),
    // Where the relief is in front of a line, it shows fainter rather than not at all.
    depthFailAppearance: new PolylineMaterialAppearance({ material: Material.fromType('Color', { color: OUTLINE_HIDDEN }) }),
    asynchronous: true,
  });
}

export const mountPlaces: MountLayer = async (ctx, entry) => {
  const load = async () => {
    const res = await fetch(new URL(entry.url, ctx.tilesetsBase).href);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return parsePlaces(await res.json());
  };
  const places = await (ctx.cached ? ctx.cached(`places:${entry.url}`, load) : load());
  const { scene } = ctx.viewer;
  let disposed = false;
  let visible = true;
  // 100 k outline vertices: reprojected and built only once the camera first comes near enough to show them.
  let outlines: Primitive | null = null;
  let building = false;
  const ensureOutlines = async (): Promise<void> => {
    if (outlines || building) return;
    building = true;
    const packed = packLines(places.outlines);
    const ecef = unpackLines({ xyz: await ctx.toEcef(`${entry.id}-outlines`, packed.xyz), offsets: packed.offsets });
    if (disposed) return;
    outlines = scene.primitives.add(outlinePrimitive(ecef));
    relayout();
  };
  const collection = scene.primitives.add(new LabelCollection());
  const positions = places.labels.map((p) => Cartesian3.fromDegrees(p.lonDeg, p.latDeg, p.heightM + 30));
  const labels: Array<Label | undefined> = [];
  const labelAt = (i: number): Label => {
    const existing = labels[i];
    if (existing) return existing;
    const p = places.labels[i]!;
    const l: Label = collection.add({
      text: labelText(ctx.store.getState().lang, p),
      position: positions[i],
      font: FONTS[p.rank],
      fillColor: Color.WHITE,
      outlineColor: Color.fromCssColorString('#1b1b1b'),
      outlineWidth: 3,
      style: LabelStyle.FILL_AND_OUTLINE,
      // Names stay readable over the relief: a label half inside a hillside says nothing.
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
      distanceDisplayCondition: new DistanceDisplayCondition(0, RANK_MAX_DISTANCE_M[p.rank]),
    });
    labels[i] = l;
    return l;
  };

  function relayout(): void {
    if (disposed) return;
    const cam = scene.camera.positionWC;
    const near = visible && scene.camera.positionCartographic.height < OUTLINE_MAX_HEIGHT_M;
    if (outlines) outlines.show = near;
    else if (near) void ensureOutlines().catch((err: unknown) => ctx.store.getState().setLayerStatus(entry.id, 'error', err instanceof Error ? err.message : String(err)));
    const boxes: LabelBox[] = [];
    const lang = ctx.store.getState().lang;
    places.labels.forEach((p, i) => {
      const at = positions[i]!;
      if (!visible || Cartesian3.distance(cam, at) > RANK_MAX_DISTANCE_M[p.rank]) return;
      // Beyond the horizon (the camera sees a point of radius r only where camera · point ≥ r²).
      if (Cartesian3.dot(cam, at) < Cartesian3.magnitudeSquared(at)) return;
      const win = SceneTransforms.worldToWindowCoordinates(scene, at);
      if (!win || win.x < -100 || win.y < -20 || win.x > scene.canvas.clientWidth + 100 || win.y > scene.canvas.clientHeight + 20) return;
      const text = labelText(lang, p);
      boxes.push({ index: i, rank: p.rank, population: p.population, x: win.x, y: win.y, w: text.length * FONT_PX[p.rank] * 0.58 + 8, h: FONT_PX[p.rank] + 6 });
    });
    const kept = declutter(boxes);
    labels.forEach((l, i) => {
      if (l) l.show = kept.has(i);
    });
    for (const i of kept) labelAt(i).show = true;
    ctx.viewer.requestRender();
  }
  const offMoveEnd = scene.camera.moveEnd.addEventListener(relayout);
  const unwatch = watch(ctx.store, (s) => s.lang, (lang) => {
    labels.forEach((l, i) => {
      if (l) l.text = labelText(lang, places.labels[i]!);
    });
    relayout();
  });
  // The camera may already be still: the first layout does not wait for a move.
  relayout();
  return {
    setVisible(v) {
      visible = v;
      collection.show = v;
      relayout();
    },
    dispose() {
      disposed = true;
      offMoveEnd();
      unwatch();
      if (outlines) scene.primitives.remove(outlines);
      scene.primitives.remove(collection);
      ctx.viewer.requestRender();
    },
  };
};
