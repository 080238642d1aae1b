/**
 * A synthetic district for the scale bench, never committed or shown in the app: the real Regensburg-West LoD2
 * buildings (two 2 × 2 km survey tiles, 1,781 buildings) copied on a grid eastwards and northwards from
 * Regensburg towards Cham, each copy shifted in UTM 32 and lifted to the real terrain's height there, written as
 * CityJSON tiles named like the Bavarian delivery. Ids get the copy's number so every building is its own.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { converter } from '../../core/geo/crs';

interface CityJson {
  metadata?: Record<string, unknown>;
  transform: { scale: number[]; translate: number[] };
  CityObjects: Record<string, { attributes?: Record<string, unknown>; children?: string[]; parents?: string[] }>;
}

/** The two source tiles, 2 km wide side by side northwards: a copy covers 2 km east × 4 km north. */
const COPY_EAST_M = 2000, COPY_NORTH_M = 4000;

export interface SynthSource {
  readonly tiles: readonly { name: string; json: CityJson; buildings: number }[];
  readonly buildingsPerCopy: number;
}

export function readSynthSource(folder: string): SynthSource {
  const tiles = ['720_5432.city.json', '720_5434.city.json'].map((name) => {
    const json = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as CityJson;
    const buildings = Object.values(json.CityObjects).filter((o) => !o.parents?.length).length;
    return { name, json, buildings };
  });
  return { tiles, buildingsPerCopy: tiles.reduce((n, t) => n + t.buildings, 0) };
}

const shiftAttr = (a: Record<string, unknown> | undefined, key: string, dz: number): void => {
  if (a && a[key] !== undefined && Number.isFinite(Number(a[key]))) a[key] = (Number(a[key]) + dz).toFixed(3);
};

/**
 * Write `copies` copies into `folder` (emptied first), in columns of `rows`; `groundAt(lon, lat)` is the terrain's
 * ellipsoidal height (null outside it), whose difference to the original place lifts each copy.
 */
export function writeSynthDistrict(src: SynthSource, folder: string, copies: number, groundAt: (lon: number, lat: number) => number | null): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const toLonLat = converter(25832, 4326);
  const centre = (x: number, y: number): [number, number] => toLonLat.forward([x, y]) as [number, number];
  const [lon0, lat0] = centre(721000, 5434000);
  const h0 = groundAt(lon0, lat0) ?? 0;
  const cols = Math.ceil(Math.sqrt(copies * 2));
  for (let k = 0; k < copies; k++) {
    const dx = (k % cols) * COPY_EAST_M, dy = Math.floor(k / cols) * COPY_NORTH_M;
    const [lon, lat] = centre(721000 + dx, 5434000 + dy);
    const dz = (groundAt(lon, lat) ?? h0) - h0;
    for (const t of src.tiles) {
      const json = structuredClone(t.json);
      json.transform.translate = [json.transform.translate[0]! + dx, json.transform.translate[1]! + dy, json.transform.translate[2]! + dz];
      json.metadata = { referenceSystem: 'https://www.opengis.net/def/crs/EPSG/0/25832', title: 'synthetic district for the scale bench' };
      const rename = (id: string): string => `${id}_S${k}`;
      const objects: CityJson['CityObjects'] = {};
      for (const [id, o] of Object.entries(json.CityObjects)) {
        if (o.children) o.children = o.children.map(rename);
        if (o.parents) o.parents = o.parents.map(rename);
        shiftAttr(o.attributes, 'HoeheGrund', dz);
        shiftAttr(o.attributes, 'HoeheDach', dz);
        objects[rename(id)] = o;
      }
      json.CityObjects = objects;
      const [e, n] = t.name.split('.')[0]!.split('_').map(Number) as [number, number];
      writeFileSync(path.join(folder, `${e + dx / 1000}_${n + dy / 1000}.city.json`), JSON.stringify(json));
    }
  }
}
