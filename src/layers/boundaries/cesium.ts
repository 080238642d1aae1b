/** The state border and regional outlines, draped on the terrain; positions go to ECEF in the worker pool. */
import { Cartesian3, Color, DistanceDisplayCondition, LabelCollection, LabelStyle, NearFarScalar, type GroundPolylinePrimitive } from 'cesium';
import { packLines, unpackLines } from '../../../core/geo/buffers';
import { placeName } from '../../i18n';
import { watch } from '../../state/store';
import { groundLines } from '../../scene/ground-lines';
import type { MountLayer } from '../types';
import { BOUNDARY_STYLES, boundaryLines, regionLabels, type BoundaryKind } from './description';

export const mountBoundaries: MountLayer = async (ctx, entry) => {
  const res = await fetch(new URL(entry.url, ctx.tilesetsBase).href);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const json: unknown = await res.json();
  const byKind = boundaryLines(json);
  const prims: GroundPolylinePrimitive[] = [];
  for (const kind of Object.keys(byKind) as BoundaryKind[]) {
    // One job per style: all its lines cross to the worker as one transferred buffer.
    const packed = packLines(byKind[kind]);
    const ecef = unpackLines({ xyz: await ctx.toEcef(`${entry.id}-${kind}`, packed.xyz), offsets: packed.offsets });
    prims.push(ctx.viewer.scene.groundPrimitives.add(groundLines(ecef, BOUNDARY_STYLES[kind])));
  }
  // Names are drawn by Cesium onto a canvas as plain text; they matter at regional zoom, not in a street.
  const labels = ctx.viewer.scene.primitives.add(new LabelCollection());
  const named = regionLabels(json).map((l) => ({
    l,
    label: labels.add({
      text: placeName(ctx.store.getState().lang, l.code, l.name),
      position: Cartesian3.fromDegrees(l.lonDeg, l.latDeg, 1500),
      font: '600 15px system-ui, sans-serif',
      fillColor: Color.fromCssColorString('#fff6c2'),
      outlineColor: Color.BLACK,
      outlineWidth: 3,
      style: LabelStyle.FILL_AND_OUTLINE,
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
      distanceDisplayCondition: new DistanceDisplayCondition(40_000, 3_000_000),
      scaleByDistance: new NearFarScalar(100_000, 1.1, 1_500_000, 0.7),
    }),
  }));
  // Names follow the UI language (Bavorsko, Bayern, Bavaria).
  const unwatch = watch(ctx.store, (s) => s.lang, (lang) => {
    for (const { l, label } of named) label.text = placeName(lang, l.code, l.name);
    ctx.viewer.requestRender();
  });
  ctx.viewer.requestRender();
  return {
    setVisible(visible) {
      labels.show = visible;
      for (const p of prims) p.show = visible;
      ctx.viewer.requestRender();
    },
    dispose() {
      unwatch();
      for (const p of prims) ctx.viewer.scene.groundPrimitives.remove(p);
      ctx.viewer.scene.primitives.remove(labels);
      ctx.viewer.requestRender();
    },
  };
};
