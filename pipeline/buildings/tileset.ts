/**
 * A loaded town -> tilesets/buildings/<id>/: a kd-tree of leaf tiles (GLB) under grouping nodes, and its manifest entry.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { enuToEcefMatrix } from '../../core/geo/ellipsoid';
import type { ManifestEntry } from '../context';
import { writeTileGlb } from './glb';
import { metresPerDegree } from './records';
import type { BuildingRecord, TownBuildings } from './towns';

/** Leaves hold at most this many buildings: small enough to stream, large enough to keep the request count low. */
export const MAX_BUILDINGS_PER_TILE = 300;
/** Geometric error of a content-less node, as a share of its horizontal diagonal (see `geometricErrorOf`). */
const NODE_ERROR_PER_DIAGONAL = 0.1;

/** A node of the tile tree: a leaf holds buildings, an inner node two children. */
interface KdNode {
  readonly name: string;
  readonly records: BuildingRecord[];
  readonly children: KdNode[];
}

/** A building's bounding-box centre, degrees. */
const cx = (r: BuildingRecord): number => (r.west + r.east) / 2;
const cy = (r: BuildingRecord): number => (r.south + r.north) / 2;

/**
 * Median splits along the longer side until no leaf holds more than `maxPerTile` buildings: leaves of even size
 * (a quadtree would leave most of its cells near-empty in a town this small) and a shallow tree.
 */
export function kdSplit(records: readonly BuildingRecord[], maxPerTile = MAX_BUILDINGS_PER_TILE, name = 'r'): KdNode {
  if (records.length <= maxPerTile) return { name, records: [...records], children: [] };
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const r of records) { w = Math.min(w, cx(r)); e = Math.max(e, cx(r)); s = Math.min(s, cy(r)); n = Math.max(n, cy(r)); }
  const k = metresPerDegree((s + n) / 2);
  const key = (e - w) * k.lon >= (n - s) * k.lat ? cx : cy;
  const sorted = records.toSorted((a, b) => key(a) - key(b) || (a.props.id < b.props.id ? -1 : a.props.id > b.props.id ? 1 : 0));
  const half = Math.ceil(sorted.length / 2);
  return {
    name,
    records: sorted,
    children: [kdSplit(sorted.slice(0, half), maxPerTile, `${name}0`), kdSplit(sorted.slice(half), maxPerTile, `${name}1`)],
  };
}

const DEG = Math.PI / 180;
const round = (x: number, d: number): number => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};

interface Extent { west: number; south: number; east: number; north: number; minH: number; maxH: number }
function extentOf(records: readonly BuildingRecord[]): Extent {
  const x: Extent = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity, minH: Infinity, maxH: -Infinity };
  for (const r of records) {
    x.west = Math.min(x.west, r.west); x.south = Math.min(x.south, r.south);
    x.east = Math.max(x.east, r.east); x.north = Math.max(x.north, r.north);
    x.minH = Math.min(x.minH, r.minH); x.maxH = Math.max(x.maxH, r.maxH);
  }
  return x;
}

/** A region (radians, ellipsoidal metres) holding the extent, padded outwards by ~1 m so rounding cannot cut content. */
function regionOf(x: Extent): number[] {
  const pad = 1e-7; // rad, ~0.6 m
  return [
    round(x.west * DEG - pad, 10), round(x.south * DEG - pad, 10), round(x.east * DEG + pad, 10), round(x.north * DEG + pad, 10),
    Math.floor(x.minH - 1), Math.ceil(x.maxH + 1),
  ];
}

/**
 * Geometric error of an inner node: a tenth of its diagonal. At Cesium's default 16 px and a 1000 px high view,
 * a node's children load within about 5 node diagonals, where a 10 m building still spans a pixel or more;
 * framing a whole town is well inside that. Leaves carry the full detail and have 0.
 */
function geometricErrorOf(x: Extent): number {
  const k = metresPerDegree((x.south + x.north) / 2);
  const diag = Math.hypot((x.east - x.west) * k.lon, (x.north - x.south) * k.lat);
  return Math.max(1, Math.round(diag * NODE_ERROR_PER_DIAGONAL));
}

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return 0;
  const s = xs.toSorted((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface TilesetResult {
  readonly entry: ManifestEntry;
  readonly tiles: number;
  readonly triangles: number;
  readonly bytes: number;
}

/**
 * Write tilesets/buildings/<id>/ for one loaded town (or the folder `dir`), replacing the tileset there before.
 * Only the tileset's own files go: a folder named on the command line may hold other things.
 */
export async function writeTownTileset(town: TownBuildings, outDir: string, dir = path.join(outDir, 'buildings', town.source.meta.id)): Promise<TilesetResult> {
  const { meta } = town.source;
  if (town.records.length === 0) throw new Error(`buildings/${town.source.folder}: no buildings to write`);
  await rm(path.join(dir, 'tiles'), { recursive: true, force: true });
  await rm(path.join(dir, 'tileset.json'), { force: true });
  await mkdir(path.join(dir, 'tiles'), { recursive: true });
  let tiles = 0, triangles = 0, bytes = 0;

  const toTile = async (node: KdNode): Promise<Record<string, unknown>> => {
    const x = extentOf(node.records);
    if (node.children.length === 0) {
      const centreLon = (x.west + x.east) / 2, centreLat = (x.south + x.north) / 2;
      // The frame sits on the median ground so local heights stay small and positive.
      const centreH = round(median(node.records.map((r) => r.groundEllipsoidalM)), 2);
      const transform = enuToEcefMatrix(centreLon, centreLat, centreH);
      const tile = await writeTileGlb(node.records, transform);
      const uri = `tiles/${node.name}.glb`;
      await writeFile(path.join(dir, uri), tile.glb);
      tiles++;
      triangles += tile.triangles;
      bytes += tile.glb.byteLength;
      return {
        transform: transform.map((v) => round(v, 12)),
        boundingVolume: { box: tile.box.map((v) => round(v, 3)) },
        geometricError: 0,
        content: { uri },
      };
    }
    const children: Record<string, unknown>[] = [];
    for (const c of node.children) children.push(await toTile(c));
    return { boundingVolume: { region: regionOf(x) }, geometricError: geometricErrorOf(x), children };
  };

  const root = await toTile(kdSplit(town.records));
  // A root that is itself a leaf keeps its content; otherwise it is an empty grouping node. Both refine by adding.
  root.refine = 'ADD';
  const groundEllipsoidalM = round(median(town.records.map((r) => r.groundEllipsoidalM)), 2);
  const rootError = typeof root.geometricError === 'number' && root.geometricError > 0 ? root.geometricError : geometricErrorOf(extentOf(town.records));
  const tileset = {
    asset: {
      version: '1.1',
      extras: {
        sddi: {
          title: meta.title,
          source: meta.source,
          licence: meta.licence,
          attribution: meta.attribution,
          sourceCrs: town.sourceCrs,
          sourceVerticalDatum: town.sourceVerticalDatum,
          groundEllipsoidalM,
          groundKnown: town.groundKnown,
        },
      },
    },
    geometricError: rootError * 2,
    root,
  };
  const json = `${JSON.stringify(tileset, null, 1)}\n`;
  await writeFile(path.join(dir, 'tileset.json'), json);
  bytes += Buffer.byteLength(json);
  return { entry: manifestEntryOf(town, groundEllipsoidalM), tiles, triangles, bytes };
}

/** The town's entry in the tileset manifest. */
function manifestEntryOf(town: TownBuildings, groundEllipsoidalM: number): ManifestEntry {
  const { meta } = town.source;
  const x = extentOf(town.records);
  return {
    id: meta.id,
    kind: 'buildings',
    url: `buildings/${meta.id}/tileset.json`,
    title: meta.title,
    source: meta.source,
    licence: meta.licence,
    attribution: meta.attribution,
    sourceCrs: town.sourceCrs,
    sourceVerticalDatum: town.sourceVerticalDatum,
    bbox: [round(x.west, 6), round(x.south, 6), round(x.east, 6), round(x.north, 6)],
    featureCount: town.records.length,
    extras: {
      groundEllipsoidalM,
      groundKnown: town.groundKnown,
      estimatedHeights: town.estimatedHeights,
    },
  };
}
