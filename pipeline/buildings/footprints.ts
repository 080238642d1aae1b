/**
 * Footprint buildings (2D polygons, no heights): flat-roofed prisms with estimated heights, and the rules that
 * decide which mapped footprints still stand. Pure.
 */
import { area as turfArea, intersect as turfIntersect, featureCollection } from '@turf/turf';
import type { Surface, Vec2, Vec3 } from './cityjson';

/** One polygon: [outer, ...holes], each ring in a local metric frame (x east, y north), closed or not. */
export type FootprintPolygon = readonly (readonly Vec2[])[];

export interface Extrusion {
  /** Walls (one quad per ring edge) and the flat roof; no floor (it is never seen from above ground). */
  readonly surfaces: Surface[];
  /** Rings dropped for having fewer than 3 distinct vertices or no area (a dropped outer ring drops its polygon). */
  readonly degenerateRings: number;
}

/**
 * Extrude polygons into a prism from `baseM` to `baseM + heightM` (z in metres, same frame as x/y).
 * Rings are re-oriented (outer counter-clockwise, holes clockwise seen from above) so every wall and the roof
 * face outwards whatever winding the source used.
 */
export function extrudeFootprint(polygons: readonly FootprintPolygon[], baseM: number, heightM: number): Extrusion {
  const surfaces: Surface[] = [];
  let degenerateRings = 0;
  const top = baseM + heightM;
  for (const poly of polygons) {
    const rings: Vec2[][] = [];
    for (let r = 0; r < poly.length; r++) {
      const ring = cleanRing2d(poly[r]!);
      const a = signedArea(ring);
      if (ring.length < 3 || Math.abs(a) < 1e-6) {
        degenerateRings++;
        if (r === 0) break;
        continue;
      }
      // Outer rings counter-clockwise, holes clockwise: the solid then always lies to the left of travel.
      const wantCcw = r === 0;
      rings.push(a > 0 === wantCcw ? ring : ring.toReversed());
    }
    if (rings.length === 0) continue;
    surfaces.push({ kind: 'roof', rings: rings.map((ring) => ring.map((p): Vec3 => [p[0], p[1], top])) });
    if (heightM <= 0) continue;
    for (const ring of rings) {
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i]!, b = ring[(i + 1) % ring.length]!;
        // a0 b0 b1 a1 runs counter-clockwise seen from outside (the solid is left of a->b).
        surfaces.push({ kind: 'wall', rings: [[[a[0], a[1], baseM], [b[0], b[1], baseM], [b[0], b[1], top], [a[0], a[1], top]]] });
      }
    }
  }
  return { surfaces, degenerateRings };
}

/** Drop the closing vertex and consecutive duplicates. */
export function cleanRing2d(ring: readonly Vec2[]): Vec2[] {
  const out: Vec2[] = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (q && q[0] === p[0] && q[1] === p[1]) continue;
    out.push(p);
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
  return out;
}

/** Shoelace area, positive counter-clockwise. */
export function signedArea(ring: readonly Vec2[]): number {
  let s = 0;
  const o = ring[0];
  if (!o) return 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!, b = ring[(i + 1) % ring.length]!;
    s += (a[0] - o[0]) * (b[1] - o[1]) - (b[0] - o[0]) * (a[1] - o[1]);
  }
  return s / 2;
}

/** One row of the height table: what a mapped building tag stands for when nothing gives its height. */
export interface HeightRule {
  readonly storeys: number | null;
  readonly heightM: number;
  readonly why: string;
}

/** Storey height of the historic town houses (high ceilings, thick vaults), m. */
export const STOREY_M = 3.2;
/** Flat roofs stand in for pitched ones: put them about halfway up the roof, above the eaves. */
export const ROOF_ALLOWANCE_M = 1.5;
const storeys = (n: number): number => Math.round((n * STOREY_M + ROOF_ALLOWANCE_M) * 10) / 10;

/**
 * Heights for OpenStreetMap-style `building=*` values (OpenHistoricalMap uses the same tags). Landmark heights are
 * the main body; towers are not modelled. In the Žatec mapping every `house` carries a conscription number and
 * no `yes` does: there `yes` is the unnumbered rear wing, outbuilding or hop store behind a house.
 */
export const HEIGHT_TABLE: Readonly<Record<string, HeightRule>> = {
  house: { storeys: 2, heightM: storeys(2), why: 'numbered town house, two storeys and attic' },
  yes: { storeys: 1.5, heightM: storeys(1.5), why: 'generic building: in the old town a rear wing or outbuilding' },
  apartments: { storeys: 4, heightM: storeys(4), why: 'block of flats' },
  residential: { storeys: 2, heightM: storeys(2), why: 'dwelling' },
  detached: { storeys: 2, heightM: storeys(2), why: 'family house' },
  terrace: { storeys: 2, heightM: storeys(2), why: 'row house' },
  commercial: { storeys: 3, heightM: storeys(3), why: 'shops and offices' },
  retail: { storeys: 2, heightM: storeys(2), why: 'shop' },
  office: { storeys: 3, heightM: storeys(3), why: 'office building' },
  townhall: { storeys: 3, heightM: storeys(3), why: 'town hall (tower not modelled)' },
  civic: { storeys: 3, heightM: storeys(3), why: 'public building' },
  public: { storeys: 3, heightM: storeys(3), why: 'public building' },
  school: { storeys: 3, heightM: storeys(3), why: 'school' },
  hospital: { storeys: 4, heightM: storeys(4), why: 'hospital' },
  monastery: { storeys: 3, heightM: storeys(3), why: 'monastery wings' },
  brewery: { storeys: 3, heightM: storeys(3), why: 'brewery and malt house' },
  industrial: { storeys: 2, heightM: 9, why: 'hall, tall storeys' },
  warehouse: { storeys: 2, heightM: 9, why: 'warehouse or hop store' },
  church: { storeys: null, heightM: 20, why: 'nave at mid-roof; towers not modelled' },
  cathedral: { storeys: null, heightM: 25, why: 'nave at mid-roof; towers not modelled' },
  synagogue: { storeys: null, heightM: 18, why: 'hall synagogue at mid-roof; towers not modelled' },
  chapel: { storeys: null, heightM: 8, why: 'chapel' },
  barn: { storeys: 1, heightM: 6, why: 'barn, one tall storey' },
  stable: { storeys: 1, heightM: 5, why: 'stable' },
  farm_auxiliary: { storeys: 1, heightM: 5, why: 'farm building' },
  garage: { storeys: 1, heightM: 3, why: 'garage' },
  garages: { storeys: 1, heightM: 3, why: 'row of garages' },
  carport: { storeys: 1, heightM: 3, why: 'carport' },
  shed: { storeys: 1, heightM: 3, why: 'shed' },
  hut: { storeys: 1, heightM: 3, why: 'hut' },
  kiosk: { storeys: 1, heightM: 3, why: 'kiosk' },
  roof: { storeys: 1, heightM: 4, why: 'open roof' },
};
/** A tag that is not in the table (typos such as a house number in `building=`, rare types). */
export const DEFAULT_HEIGHT_RULE: HeightRule = { storeys: 2, heightM: storeys(2), why: 'unknown building type: two storeys' };
/** Amenities that say more than a generic `building=yes/house`. */
const AMENITY_RULE: Readonly<Record<string, string>> = { townhall: 'townhall', school: 'school', place_of_worship: 'church', hospital: 'hospital' };

export interface HeightEstimate {
  readonly heightM: number;
  /** False only when the source gave a height in metres. */
  readonly estimated: boolean;
  /** How it was found, e.g. "building=house" or "building:levels=3". */
  readonly rule: string;
}

const positiveNumber = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number.parseFloat(v) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** Height of a footprint from its tags: `height`, else `building:levels`, else the building type. */
export function estimateHeight(tags: Readonly<Record<string, unknown>>): HeightEstimate {
  const h = positiveNumber(tags.height) ?? positiveNumber(tags['building:height']);
  if (h !== null) return { heightM: h, estimated: false, rule: 'height' };
  const levels = positiveNumber(tags['building:levels']);
  if (levels !== null) return { heightM: storeys(levels), estimated: true, rule: `building:levels=${levels}` };
  const b = typeof tags.building === 'string' ? tags.building : 'yes';
  const amenity = typeof tags.amenity === 'string' ? AMENITY_RULE[tags.amenity] : undefined;
  if ((b === 'yes' || b === 'house') && amenity) {
    return { heightM: HEIGHT_TABLE[amenity]!.heightM, estimated: true, rule: `amenity=${String(tags.amenity)}` };
  }
  const rule = HEIGHT_TABLE[b];
  return rule ? { heightM: rule.heightM, estimated: true, rule: `building=${b}` } : { heightM: DEFAULT_HEIGHT_RULE.heightM, estimated: true, rule: 'default' };
}

/** Minimal GeoJSON for what this module reads. */
export interface FootprintFeature {
  readonly type: 'Feature';
  readonly id?: string | number;
  readonly properties: Readonly<Record<string, unknown>> | null;
  readonly geometry: { readonly type: 'Polygon'; readonly coordinates: number[][][] } | { readonly type: 'MultiPolygon'; readonly coordinates: number[][][][] };
}

/** Share of the smaller footprint two footprints must overlap by before one is taken to have replaced the other. */
export const SUPERSEDE_OVERLAP = 0.05;

const year = (v: unknown): number | null => {
  const m = typeof v === 'string' ? /^-?\d{1,4}/.exec(v) : null;
  return m ? Number(m[0]) : typeof v === 'number' ? v : null;
};

/**
 * Indices of footprints that a later footprint overlaps (by at least SUPERSEDE_OVERLAP of the smaller one): two
 * buildings cannot stand on the same ground, so the earlier one was demolished. For historical mappings
 * (OpenHistoricalMap) whose `end_date` was lost in extraction; a footprint without `start_date` is never taken as
 * the later one, and equal dates replace nothing.
 */
export function supersededFootprints(features: readonly FootprintFeature[]): Set<number> {
  const boxes = features.map((f) => bboxOf(f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
  const areas = features.map((f) => turfArea(f as never));
  const starts = features.map((f) => year(f.properties?.start_date));
  const out = new Set<number>();
  for (let i = 0; i < features.length; i++) {
    const a = boxes[i]!;
    for (let k = i + 1; k < features.length; k++) {
      const b = boxes[k]!;
      if (a[0] >= b[2] || b[0] >= a[2] || a[1] >= b[3] || b[1] >= a[3]) continue;
      const si = starts[i] ?? null, sk = starts[k] ?? null;
      if (si === null || sk === null || si === sk) continue;
      let inter: unknown;
      try {
        inter = turfIntersect(featureCollection([features[i], features[k]] as never));
      } catch {
        // Self-intersecting source rings can defeat the clipper; such a pair is left alone.
        continue;
      }
      if (!inter) continue;
      const overlap = turfArea(inter as never) / Math.min(areas[i]!, areas[k]!);
      if (overlap >= SUPERSEDE_OVERLAP) out.add(si < sk ? i : k);
    }
  }
  return out;
}

function bboxOf(polys: readonly (readonly (readonly number[])[])[][]): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const poly of polys) for (const ring of poly) for (const p of ring) {
    w = Math.min(w, p[0]!); e = Math.max(e, p[0]!); s = Math.min(s, p[1]!); n = Math.max(n, p[1]!);
  }
  return [w, s, e, n];
}
