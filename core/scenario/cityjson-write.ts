/**
 * A scenario as a CityJSON 2.0 document, the format the Czech and Bavarian 3D city models are exchanged in.
 *
 * - Each proposed building is a `Building` with one `Solid` (LoD 1, or LoD 2 with its gable or hip roof: see
 *   cityjson-solid.ts) and the attributes `name`, `measuredHeight`, `storeysAboveGround`, `roofType` (the AdV /
 *   SIG3D code the Bavarian LoD2 data uses: 1000 flat, 3100 gable, 3200 hip), `scenarioId`.
 * - Each mast is an `OtherConstruction` (CityJSON 2.0's type for constructions that are neither buildings, bridges
 *   nor tunnels; it takes no point or line geometry) with `function: "mast"`: a 1 m square column from the ground
 *   to the antenna (LoD 1), attributes `operator`, `antennaHeight`, and `azimuth`, `beamwidth`, `eirpDbm` where set.
 * - Heights: a scenario holds no ground heights (the scene stands each building on the terrain where it is drawn),
 *   so z is metres above the ground, every object's base at 0, and each object says so (`heightReference:
 *   "relativeToGround"`). The reference system is therefore the horizontal CRS alone, not a compound one.
 * - Vertices are integers with `transform`: 1 mm in metric CRSs; in degrees 1e-8° (about 1 mm) across and 1 mm up.
 * - Coordinates go through the CRS registry's converters, in the registry's axis order (easting or longitude
 *   first); faces are reversed where that order makes the CRS's frame left-handed (EPSG:5513), so they still face
 *   outwards in the file's own coordinates.
 */
import { converter, crsInfo, type Converter, type Epsg } from '../geo/crs';
import { enuFrame, ringCentre } from '../geo/enu';
import { buildingSolid, mastSolid, type LocalSolid, type SurfaceType } from './cityjson-solid';
import type { RoofForm } from './roof';
import type { ScenarioMast } from './mast';
import { ROOF_TYPE_CODE } from './roof-type';

type LonLat = readonly [number, number];

export interface CityJsonBuildingInput {
  readonly id: string;
  readonly footprint: readonly LonLat[];
  readonly heightM: number;
  readonly storeys: number;
  readonly roof: RoofForm;
  readonly name?: string;
}

/** A mast as the exchange writes it: the scenario's own, without its kind tag. */
export type CityJsonMastInput = Omit<ScenarioMast, 'kind'>;

export interface CityJsonScenarioInput {
  readonly id: string;
  readonly name: string;
  readonly buildings: readonly CityJsonBuildingInput[];
  readonly masts: readonly CityJsonMastInput[];
}

export interface CityJsonGeometry {
  readonly type: 'Solid';
  readonly lod: string;
  readonly boundaries: number[][][][];
  readonly semantics?: { readonly surfaces: ReadonlyArray<{ readonly type: SurfaceType }>; readonly values: number[][] };
}

export interface CityJsonObject {
  readonly type: 'Building' | 'OtherConstruction';
  readonly attributes: Record<string, string | number>;
  readonly geometry: CityJsonGeometry[];
}

export interface CityJsonDocument {
  readonly type: 'CityJSON';
  readonly version: '2.0';
  readonly transform: { readonly scale: [number, number, number]; readonly translate: [number, number, number] };
  readonly metadata: { readonly title: string; readonly identifier: string; readonly referenceSystem: string; readonly geographicalExtent: number[]; readonly referenceDate?: string };
  readonly CityObjects: Record<string, CityJsonObject>;
  readonly vertices: Array<[number, number, number]>;
}

export const HEIGHT_REFERENCE = 'relativeToGround';

/** The OGC CRS URL CityJSON 2.0 requires for `metadata.referenceSystem`. */
export const crsUrl = (epsg: Epsg): string => `https://www.opengis.net/def/crs/EPSG/0/${epsg}`;

/** An object's solid with its vertices in the target CRS (z: metres above the ground). */
interface PlacedSolid {
  readonly solid: LocalSolid;
  readonly xyz: Array<[number, number, number]>;
}

function place(solid: LocalSolid, origin: LonLat, corners: readonly LonLat[], toCrs: Converter | null): PlacedSolid {
  const frame = enuFrame(origin[0], origin[1]);
  const xyz = solid.vertices.map((v): [number, number, number] => {
    const [lon, lat] = v.corner !== undefined ? corners[v.corner]! : frame.toLonLat(v.e, v.n);
    const [x, y] = toCrs ? toCrs.forward([lon, lat]) : [lon, lat];
    return [x!, y!, v.z];
  });
  return { solid, xyz };
}

/** Whether (first axis, second axis, up) is left-handed in the CRS near a point: faces must then be reversed. */
function leftHanded(toCrs: Converter | null, at: LonLat): boolean {
  if (!toCrs) return false;
  const step = 1e-4;
  const [x0, y0] = toCrs.forward([at[0], at[1]]);
  const [xe, ye] = toCrs.forward([at[0] + step, at[1]]);
  const [xn, yn] = toCrs.forward([at[0], at[1] + step]);
  return (xe! - x0!) * (yn! - y0!) - (ye! - y0!) * (xn! - x0!) < 0;
}

/** Integer vertices with a shared transform; equal vertices are written once. */
class VertexPool {
  readonly vertices: Array<[number, number, number]> = [];
  private readonly index = new Map<string, number>();
  constructor(readonly scale: [number, number, number], readonly translate: [number, number, number]) {}
  add([x, y, z]: readonly [number, number, number]): number {
    const q: [number, number, number] = [
      Math.round((x - this.translate[0]) / this.scale[0]),
      Math.round((y - this.translate[1]) / this.scale[1]),
      Math.round((z - this.translate[2]) / this.scale[2]),
    ];
    const key = q.join(',');
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.vertices.length;
      this.vertices.push(q);
      this.index.set(key, i);
    }
    return i;
  }
}

function geometryOf(p: PlacedSolid, pool: VertexPool, reverse: boolean, withSemantics: boolean): CityJsonGeometry {
  const ids = p.xyz.map((v) => pool.add(v));
  const types: SurfaceType[] = [];
  const values: number[] = [];
  const shell = p.solid.faces.map((f) => {
    const ring = f.ring.map((i) => ids[i]!);
    let t = types.indexOf(f.surface);
    if (t < 0) t = types.push(f.surface) - 1;
    values.push(t);
    // Reversed keeping the first vertex: the face turns round, the ground still starts at corner 0.
    return [reverse ? [ring[0]!, ...ring.slice(1).toReversed()] : ring];
  });
  const base = { type: 'Solid' as const, lod: p.solid.lod, boundaries: [shell] };
  return withSemantics ? { ...base, semantics: { surfaces: types.map((type) => ({ type })), values: [values] } } : base;
}

function buildingAttributes(b: CityJsonBuildingInput, scenarioId: string): Record<string, string | number> {
  return {
    ...(b.name ? { name: b.name } : {}),
    measuredHeight: b.heightM,
    storeysAboveGround: b.storeys,
    roofType: ROOF_TYPE_CODE[b.roof],
    heightReference: HEIGHT_REFERENCE,
    scenarioId,
  };
}

function mastAttributes(m: CityJsonMastInput, scenarioId: string): Record<string, string | number> {
  return {
    function: 'mast',
    ...(m.name ? { name: m.name } : {}),
    operator: m.operator,
    antennaHeight: m.antennaAglM,
    ...(m.azimuthDeg !== undefined ? { azimuth: m.azimuthDeg } : {}),
    ...(m.beamwidthDeg !== undefined ? { beamwidth: m.beamwidthDeg } : {}),
    ...(m.eirpDbm !== undefined ? { eirpDbm: m.eirpDbm } : {}),
    heightReference: HEIGHT_REFERENCE,
    scenarioId,
  };
}

/** The transform: whole metres (or thousandths of a degree) below the data, and 1 mm steps. */
function transformFor(placed: readonly PlacedSolid[], geographic: boolean): { scale: [number, number, number]; translate: [number, number, number] } {
  let minX = Infinity, minY = Infinity;
  for (const p of placed) for (const [x, y] of p.xyz) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
  }
  const unit = geographic ? 1e-3 : 1;
  const floor = (v: number): number => (Number.isFinite(v) ? Math.floor(v / unit) * unit : 0);
  const step = geographic ? 1e-8 : 1e-3;
  return { scale: [step, step, 1e-3], translate: [floor(minX), floor(minY), 0] };
}

function extentOf(pool: VertexPool): number[] {
  if (pool.vertices.length === 0) return [0, 0, 0, 0, 0, 0];
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const v of pool.vertices) for (let k = 0; k < 3; k++) {
    const real = v[k]! * pool.scale[k]! + pool.translate[k]!;
    lo[k] = Math.min(lo[k]!, real);
    hi[k] = Math.max(hi[k]!, real);
  }
  return [...lo, ...hi];
}

/** A CityObject key per object: its scenario id, made unique should two objects share one. */
function keyFor(id: string, used: Set<string>): string {
  let key = id || 'object';
  for (let k = 2; used.has(key); k++) key = `${id}-${k}`;
  used.add(key);
  return key;
}

export interface CityJsonWriteOptions {
  /** `metadata.referenceDate`, YYYY-MM-DD; left out when not given (the output then depends on the input only). */
  readonly referenceDate?: string;
}

/** The scenario in `epsg` as a CityJSON 2.0 document (`JSON.stringify` it to write the file). */
export function scenarioToCityJson(s: CityJsonScenarioInput, epsg: Epsg, options: CityJsonWriteOptions = {}): CityJsonDocument {
  const info = crsInfo(epsg);
  const toCrs = epsg === 4326 || epsg === 4979 ? null : converter(4326, epsg);
  const buildings = s.buildings.map((b) => {
    const origin = ringCentre(b.footprint);
    const frame = enuFrame(origin[0], origin[1]);
    const ring = b.footprint.map(([lon, lat]) => frame.toLocal(lon, lat));
    return place(buildingSolid(ring, b.heightM, b.roof), origin, b.footprint, toCrs);
  });
  const masts = s.masts.map((m) => place(mastSolid(m.antennaAglM), [m.lonDeg, m.latDeg], [], toCrs));
  const first = s.buildings[0]?.footprint[0] ?? (s.masts[0] ? ([s.masts[0].lonDeg, s.masts[0].latDeg] as const) : null);
  const reverse = first !== null && leftHanded(toCrs, first);
  const { scale, translate } = transformFor([...buildings, ...masts], info.geographic);
  const pool = new VertexPool(scale, translate);
  const used = new Set<string>();
  const objects: Record<string, CityJsonObject> = {};
  s.buildings.forEach((b, i) => {
    objects[keyFor(b.id, used)] = { type: 'Building', attributes: buildingAttributes(b, s.id), geometry: [geometryOf(buildings[i]!, pool, reverse, true)] };
  });
  s.masts.forEach((m, i) => {
    objects[keyFor(m.id, used)] = { type: 'OtherConstruction', attributes: mastAttributes(m, s.id), geometry: [geometryOf(masts[i]!, pool, reverse, false)] };
  });
  return {
    type: 'CityJSON',
    version: '2.0',
    transform: { scale, translate },
    metadata: {
      title: s.name,
      identifier: s.id,
      referenceSystem: crsUrl(epsg),
      geographicalExtent: extentOf(pool),
      ...(options.referenceDate ? { referenceDate: options.referenceDate } : {}),
    },
    CityObjects: objects,
    vertices: pool.vertices,
  };
}
