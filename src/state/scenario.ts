/**
 * What-if scenarios as plain data, and every edit of them as a pure function (the store's scenario slice calls
 * these and keeps the history for undo/redo). A scenario holds proposed buildings, proposed masts and marks on
 * existing buildings that would be demolished; a variant starts as a copy of its parent.
 */
import { enuFrame, ringCentre } from '../../core/geo/enu';
import type { ScenarioMast } from './types';

export type RoofForm = 'flat' | 'gable' | 'hip';
export const ROOF_FORMS: readonly RoofForm[] = ['flat', 'gable', 'hip'];

/** lon/lat degrees (WGS84). */
export type LonLat = readonly [number, number];

export interface ProposedBuilding {
  readonly id: string;
  readonly kind: 'building';
  /** Footprint ring, lon/lat degrees, not closed (the first vertex is not repeated), at least 3 vertices. */
  readonly footprint: readonly LonLat[];
  /** From the ground to the highest point (the ridge of a pitched roof), metres. */
  readonly heightM: number;
  readonly storeys: number;
  readonly roof: RoofForm;
  /** From an imported file or typed by the user: plain text, never HTML. */
  readonly name?: string;
}

/** An existing building (a feature of a buildings tileset) that the scenario removes. */
export interface DemolitionMark {
  readonly id: string;
  readonly kind: 'demolition';
  readonly layerId: string;
  /** The feature's `id` property, as the picked selection shows it. */
  readonly featureId: string;
}

export interface Scenario {
  readonly id: string;
  /** Plain text, never HTML. */
  readonly name: string;
  /** The scenario this variant was branched from (it may have been deleted since). */
  readonly parentId: string | null;
  readonly buildings: readonly ProposedBuilding[];
  readonly masts: readonly ScenarioMast[];
  readonly demolitions: readonly DemolitionMark[];
}

export type ScenarioObject = ProposedBuilding | ScenarioMast | DemolitionMark;

/** Limits of a valid scenario: what the UI lets a planner make, and what a saved state may hold. */
export const LIMITS = {
  nameChars: 80,
  footprintVertices: 500,
  heightM: [2, 400] as const,
  storeys: [1, 120] as const,
  objects: 2000,
  scenarios: 200,
  /** Buildings are placed where the twin has data: around the border region, with room to spare. */
  lonDeg: [5, 25] as const,
  latDeg: [45, 56] as const,
  antennaAglM: [1, 300] as const,
};

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Feature ids of the buildings tilesets: used inside a style expression, so a narrow alphabet only. */
export const FEATURE_ID_PATTERN = /^[A-Za-z0-9_.:/-]{1,128}$/;

let idSeq = 0;
/** A fresh id: time-based so ids from two sessions do not collide, with a counter for ids made in one millisecond. */
export function newId(prefix: string): string {
  idSeq = (idSeq + 1) % 1296;
  return `${prefix}-${Date.now().toString(36)}${idSeq.toString(36).padStart(2, '0')}`;
}

export function emptyScenario(id: string, name: string, parentId: string | null = null): Scenario {
  return { id, name: name.slice(0, LIMITS.nameChars), parentId, buildings: [], masts: [], demolitions: [] };
}

/** A variant: a copy of `parent` under a new id and name (object ids are kept: they are per scenario). */
export function branchOf(parent: Scenario, id: string, name: string): Scenario {
  return { ...parent, id, name: name.slice(0, LIMITS.nameChars), parentId: parent.id };
}

export function objectsOf(s: Scenario): ScenarioObject[] {
  return [...s.buildings, ...s.masts, ...s.demolitions];
}

export function objectCount(s: Scenario): number {
  return s.buildings.length + s.masts.length + s.demolitions.length;
}

/** Replace scenario `id` with `edit(it)`; unchanged list when there is none or the edit returned it as it was. */
export function editScenario(list: readonly Scenario[], id: string | null, edit: (s: Scenario) => Scenario): readonly Scenario[] {
  const i = list.findIndex((s) => s.id === id);
  if (i < 0) return list;
  const next = edit(list[i]!);
  if (next === list[i]) return list;
  return list.with(i, next);
}

/** Move an object by metres east and north (buildings keep their shape exactly: moved in their own local frame). */
export function moveObject(s: Scenario, objectId: string, eastM: number, northM: number): Scenario {
  if (s.buildings.some((b) => b.id === objectId)) {
    return { ...s, buildings: s.buildings.map((b) => (b.id === objectId ? { ...b, footprint: transformRing(b.footprint, 0, eastM, northM) } : b)) };
  }
  if (s.masts.some((m) => m.id === objectId)) {
    return {
      ...s,
      masts: s.masts.map((m) => {
        if (m.id !== objectId) return m;
        const [lonDeg, latDeg] = enuFrame(m.lonDeg, m.latDeg).toLonLat(eastM, northM);
        return { ...m, lonDeg, latDeg };
      }),
    };
  }
  return s;
}

/** Rotate a building about its centre, degrees counter-clockwise seen from above (a mast has no orientation). */
export function rotateObject(s: Scenario, objectId: string, deg: number): Scenario {
  if (!s.buildings.some((b) => b.id === objectId)) return s;
  return { ...s, buildings: s.buildings.map((b) => (b.id === objectId ? { ...b, footprint: transformRing(b.footprint, deg, 0, 0) } : b)) };
}

/** What the planner sets on a proposed mast; `azimuthDeg: null` makes it omnidirectional again. */
export interface MastParameters {
  readonly antennaAglM?: number;
  readonly azimuthDeg?: number | null;
  readonly beamwidthDeg?: number;
  readonly eirpDbm?: number | null;
}

/** Absent, null (cleared) or a finite number within the range. */
const ok = (v: number | null | undefined, [lo, hi]: readonly [number, number]): boolean => v === undefined || v === null || (Number.isFinite(v) && v >= lo && v <= hi);

/** A mast with new parameters; values out of range leave the scenario as it is. */
export function updateMast(s: Scenario, id: string, p: MastParameters): Scenario {
  if (!ok(p.antennaAglM, LIMITS.antennaAglM) || !ok(p.azimuthDeg, [0, 360]) || !ok(p.beamwidthDeg, [1, 360]) || !ok(p.eirpDbm, [-50, 100])) return s;
  if (!s.masts.some((m) => m.id === id)) return s;
  return {
    ...s,
    masts: s.masts.map((m) => {
      if (m.id !== id) return m;
      const { azimuthDeg, beamwidthDeg, eirpDbm, ...rest } = m;
      const az = p.azimuthDeg === undefined ? azimuthDeg : p.azimuthDeg;
      const eirp = p.eirpDbm === undefined ? eirpDbm : p.eirpDbm;
      return {
        ...rest,
        ...(p.antennaAglM !== undefined ? { antennaAglM: p.antennaAglM } : {}),
        // A sector needs a width: 65° (a common three-sector panel) unless the planner gives one.
        ...(az !== null && az !== undefined ? { azimuthDeg: az, beamwidthDeg: p.beamwidthDeg ?? beamwidthDeg ?? 65 } : {}),
        ...(eirp !== null && eirp !== undefined ? { eirpDbm: eirp } : {}),
      };
    }),
  };
}

export function removeObject(s: Scenario, objectId: string): Scenario {
  const buildings = s.buildings.filter((b) => b.id !== objectId);
  const masts = s.masts.filter((m) => m.id !== objectId);
  const demolitions = s.demolitions.filter((d) => d.id !== objectId);
  if (buildings.length + masts.length + demolitions.length === objectCount(s)) return s;
  return { ...s, buildings, masts, demolitions };
}

/** Rotate (about the ring's centre) then translate a ring, in the local frame at its centre. */
export function transformRing(ring: readonly LonLat[], deg: number, eastM: number, northM: number): LonLat[] {
  const [lon0, lat0] = ringCentre(ring);
  const f = enuFrame(lon0, lat0);
  const c = Math.cos((deg * Math.PI) / 180), sn = Math.sin((deg * Math.PI) / 180);
  return ring.map(([lon, lat]) => {
    const [x, y] = f.toLocal(lon, lat);
    return f.toLonLat(c * x - sn * y + eastM, sn * x + c * y + northM);
  });
}

/** The ring in metres around its centre: what the geometry builder and the metrics work on. */
export function localRing(ring: readonly LonLat[]): { origin: LonLat; xy: Array<[number, number]> } {
  const origin = ringCentre(ring);
  const f = enuFrame(origin[0], origin[1]);
  return { origin, xy: ring.map(([lon, lat]) => f.toLocal(lon, lat)) };
}

/** Shoelace area of a ring in local metres (positive for counter-clockwise). */
export function signedAreaM2(xy: ReadonlyArray<readonly [number, number]>): number {
  let a = 0;
  for (let i = 0; i < xy.length; i++) {
    const [x0, y0] = xy[i]!;
    const [x1, y1] = xy[(i + 1) % xy.length]!;
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

const orientation = (p: readonly [number, number], q: readonly [number, number], r: readonly [number, number]): number => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));

/** Whether two segments properly cross (shared end points do not count). */
function crosses(a: readonly [number, number], b: readonly [number, number], c: readonly [number, number], d: readonly [number, number]): boolean {
  const o = orientation;
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

/**
 * Why a footprint cannot be built, or null: too few or too many vertices, outside the region, a ring that
 * crosses itself or encloses less than 1 m².
 */
export function footprintProblem(ring: readonly LonLat[]): string | null {
  if (ring.length < 3) return 'a footprint needs at least 3 corners';
  if (ring.length > LIMITS.footprintVertices) return `a footprint has at most ${LIMITS.footprintVertices} corners`;
  for (const [lon, lat] of ring) {
    if (!(lon >= LIMITS.lonDeg[0] && lon <= LIMITS.lonDeg[1] && lat >= LIMITS.latDeg[0] && lat <= LIMITS.latDeg[1])) return 'a corner lies outside the region';
  }
  const { xy } = localRing(ring);
  const n = xy.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (crosses(xy[i]!, xy[(i + 1) % n]!, xy[j]!, xy[(j + 1) % n]!)) return 'the footprint crosses itself';
    }
  }
  if (Math.abs(signedAreaM2(xy)) < 1) return 'the footprint encloses less than 1 m²';
  return null;
}

const inRange = (v: number, [lo, hi]: readonly [number, number]): boolean => Number.isFinite(v) && v >= lo && v <= hi;

/** Everything a shown scenario must satisfy: the saved-state decoder never lets anything else through. */
export function scenarioProblem(s: Scenario): string | null {
  if (!ID_PATTERN.test(s.id)) return 'the scenario id is not valid';
  if (s.name.length === 0 || s.name.length > LIMITS.nameChars) return 'the scenario name is empty or too long';
  if (s.parentId !== null && !ID_PATTERN.test(s.parentId)) return 'the parent id is not valid';
  if (objectCount(s) > LIMITS.objects) return 'too many objects';
  const ids = new Set<string>();
  for (const o of objectsOf(s)) {
    if (!ID_PATTERN.test(o.id) || ids.has(o.id)) return 'object ids are missing, malformed or repeated';
    ids.add(o.id);
  }
  for (const b of s.buildings) {
    const p = footprintProblem(b.footprint);
    if (p) return p;
    if (!inRange(b.heightM, LIMITS.heightM)) return 'a building height is out of range';
    if (!Number.isInteger(b.storeys) || !inRange(b.storeys, LIMITS.storeys)) return 'a storey count is out of range';
    if (!ROOF_FORMS.includes(b.roof)) return 'a roof form is not known';
    if (b.name !== undefined && b.name.length > LIMITS.nameChars) return 'a building name is too long';
  }
  for (const m of s.masts) {
    if (!inRange(m.lonDeg, LIMITS.lonDeg) || !inRange(m.latDeg, LIMITS.latDeg)) return 'a mast lies outside the region';
    if (!inRange(m.antennaAglM, LIMITS.antennaAglM)) return 'an antenna height is out of range';
    if (m.operator.length === 0 || m.operator.length > 64) return 'a mast has no operator';
  }
  for (const d of s.demolitions) {
    if (!ID_PATTERN.test(d.layerId) || !FEATURE_ID_PATTERN.test(d.featureId)) return 'a demolition mark is not valid';
  }
  return null;
}
