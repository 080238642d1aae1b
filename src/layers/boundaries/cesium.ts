/** The state border and regional outlines, draped on the terrain; positions go to ECEF in the worker pool. */
import type { GroundPolylinePrimitive } from 'cesium';
import { packLines, unpackLines } from '../../geo/buffers';
import { groundLines } from '../../viewer/ground-lines';
import type { MountLayer } from '../types';
import { BOUNDARY_STYLES, boundaryLines, type BoundaryKind } from './description';

export const mountBoundaries: MountLayer = async (ctx, entry) => {
  const res = await fetch(new URL(entry.url, ctx.tilesetsBase).href);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const byKind = boundaryLines(await res.json());
  const prims: GroundPolylinePrimitive[] = [];
  for (const kind of Object.keys(byKind) as BoundaryKind[]) {
    // One job per style: all its lines cross to the worker as one transferred buffer.
    const packed = packLines(byKind[kind]);
    const ecef = unpackLines({ xyz: await ctx.toEcef(`${entry.id}-${kind}`, packed.xyz), offsets: packed.offsets });
    prims.push(ctx.viewer.scene.groundPrimitives.add(groundLines(ecef, BOUNDARY_STYLES[kind])));
  }
  ctx.viewer.requestRender();
  return {
    setVisible(visible) {
      for (const p of prims) p.show = visible;
      ctx.viewer.requestRender();
    },
    dispose() {
      for (const p of prims) ctx.viewer.scene.groundPrimitives.remove(p);
      ctx.viewer.requestRender();
    },
  };
};
