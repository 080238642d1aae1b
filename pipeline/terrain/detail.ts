/**
 * Finer terrain where the twin has buildings: the deepest tiles under each buildings layer's box are meshed again
 * at DETAIL_ERROR_M instead of the region's bound, so houses stand on ground within a metre or two of their own
 * surveyed ground (LoD2 HoeheGrund) rather than up to the 4 m the region's tiles allow. Runs after the buildings
 * step, which knows their boxes; a few dozen tiles, a few hundred kB.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { ManifestEntry, PipelineContext } from '../context';
import type { TerrainMosaic } from './model';
import { encodeTile, surfaceOf, terrainPlan, tilePath } from './step';
import { childrenOf, rectIntersectsRing, tileRect, type TileId } from './tiling';

export const DETAIL_ERROR_M = 1;
/** Around each box: the ground just outside a town is seen with it. */
const MARGIN_DEG = 0.01;

const touches = (t: TileId, r: Array<[number, number]>): boolean => rectIntersectsRing(tileRect(t), r);

export function refineUnderBuildings(ctx: PipelineContext, layers: ManifestEntry[]): void {
  const model = ctx.terrain as TerrainMosaic | undefined;
  if (!model?.demSources) throw new Error('the terrain detail needs the terrain model');
  const boxes = layers.filter((e) => e.kind === 'buildings').map((e) => e.bbox);
  const rings = boxes.map(([w, s, e, n]) => [[w - MARGIN_DEG, s - MARGIN_DEG], [e + MARGIN_DEG, s - MARGIN_DEG], [e + MARGIN_DEG, n + MARGIN_DEG], [w - MARGIN_DEG, n + MARGIN_DEG], [w - MARGIN_DEG, s - MARGIN_DEG]] as Array<[number, number]>);
  const { plan, present } = terrainPlan(model);
  // The deepest tile over (part of) a box: it touches the box and none of its written children do.
  const deepestOver = (t: TileId, r: Array<[number, number]>): boolean =>
    touches(t, r) && !childrenOf(t).some((c) => present.has(`${c.level}/${c.x}/${c.y}`) && touches(c, r));
  const surface = surfaceOf(model);
  let tiles = 0;
  let bytes = 0;
  for (const t of plan.flat()) {
    if (!rings.some((r) => deepestOver(t, r))) continue;
    const file = tilePath(ctx.outDir, t);
    if (!existsSync(file)) throw new Error(`terrain tile ${t.level}/${t.x}/${t.y} is missing: run the terrain step first`);
    const { gz } = encodeTile(surface, t, DETAIL_ERROR_M);
    writeFileSync(file, gz);
    tiles++;
    bytes += gz.byteLength;
  }
  ctx.log(`terrain detail: ${tiles} tiles under ${boxes.length} buildings layers meshed at ${DETAIL_ERROR_M} m, ${bytes} bytes`);
  const terrain = layers.find((e) => e.kind === 'terrain');
  if (terrain) {
    (terrain as { extras?: Record<string, unknown> }).extras = {
      ...terrain.extras,
      detail: { errorBoundM: DETAIL_ERROR_M, tiles, boxes: boxes.map((b) => [...b]) },
    };
  }
}
