/**
 * Pipeline step: every town under dataDir/buildings/ -> one 3D Tiles 1.1 tileset of GLB tiles at
 * tilesets/buildings/<id>/. A folder of CityJSON or CityGML files is a LoD2 town, a folder with a footprint GeoJSON
 * is a footprint town (heights estimated); a new folder is picked up with no code change.
 */
import type { ManifestEntry, PipelineContext } from '../context';
import { loadTown } from './load';
import { writeTownTileset } from './tileset';
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
    const r = await writeTownTileset(town, ctx.outDir);
    const s = town.stats;
    ctx.log(
      `buildings/${source.meta.id}: ${s.buildings} buildings (${s.sourceObjects} source objects), ${r.tiles} tiles, ` +
        `${r.triangles} triangles, ${r.bytes} bytes; polygons ${s.polygons}, degenerate rings ${s.degenerateRings}, ` +
        `degenerate polygons ${s.degeneratePolygons}, triangulation failures ${s.triangulationFailures}, area mismatches ${s.areaMismatches}` +
        (s.droppedByEndDate || s.droppedAsSuperseded ? `, dropped ${s.droppedByEndDate} by end_date and ${s.droppedAsSuperseded} as superseded` : '') +
        `, outside every DEM ${s.outsideDem}`,
    );
    entries.push(r.entry);
  }
  return entries;
}
