/**
 * Pipeline step: every town under dataDir/buildings/ -> one 3D Tiles 1.1 tileset with levels of detail on an
 * implicit quadtree (hlod/writer.ts) at tilesets/buildings/<id>/, the same tiling a district of a million gets.
 * A folder of CityJSON or CityGML files is a LoD2 town, a folder with a footprint GeoJSON is a footprint town
 * (heights estimated); a new folder is picked up with no code change.
 */
import os from 'node:os';
import path from 'node:path';
import type { ManifestEntry, PipelineContext } from '../context';
import { loadTown } from './load';
import { hlodEntry, hlodExtras } from './hlod/entry';
import { HlodWriter } from './hlod/writer';
import { discoverTowns } from './towns';

export { loadTown } from './load';
export { MAX_BUILDINGS_PER_TILE, kdSplit, writeTownTileset, type TilesetResult } from './tileset';
export { discoverTowns, type BuildingRecord, type TownBuildings, type TownKind, type TownSource, type TownStats } from './towns';

/** The step: every town folder under dataDir/buildings -> tilesets/buildings/<id>/tileset.json. */
export async function buildBuildings(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const towns = await discoverTowns(ctx.dataDir, ctx.log);
  const entries: ManifestEntry[] = [];
  for (const source of towns) {
    const town = await loadTown(source, ctx);
    const dir = path.join(ctx.outDir, 'buildings', source.meta.id);
    const writer = new HlodWriter({ dir, spillDir: path.join(os.tmpdir(), `sddi-spill-${process.pid}-${source.meta.id}`), extras: hlodExtras(source.meta) });
    if (town.records.length === 0) throw new Error(`buildings/${source.folder}: no buildings to write`);
    for (const r of town.records) writer.add(r);
    const { sourceCrs, sourceVerticalDatum, groundKnown, estimatedHeights } = town;
    const result = await writer.finish({ sourceCrs, sourceVerticalDatum, groundKnown });
    const r = result.stats;
    const s = town.stats;
    ctx.log(
      `buildings/${source.meta.id}: ${s.buildings} buildings (${s.sourceObjects} source objects), ${r.tiles} tiles (${r.leaves} leaves, ` +
        `${r.depth + 1} levels), ${r.triangles} triangles, ${r.bytes} bytes; polygons ${s.polygons}, degenerate rings ${s.degenerateRings}, ` +
        `degenerate polygons ${s.degeneratePolygons}, triangulation failures ${s.triangulationFailures}, area mismatches ${s.areaMismatches}` +
        (s.droppedByEndDate || s.droppedAsSuperseded ? `, dropped ${s.droppedByEndDate} by end_date and ${s.droppedAsSuperseded} as superseded` : '') +
        `, outside every DEM ${s.outsideDem}`,
    );
    entries.push(hlodEntry({ meta: source.meta, result, sourceCrs, sourceVerticalDatum, groundKnown, estimatedHeights }));
  }
  return entries;
}
