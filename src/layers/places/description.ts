/**
 * Municipalities and place names, renderer-neutral: outlines as flat lon/lat/height buffers (stride 3, heights
 * WGS84 ellipsoidal on the ground) for the
 * reprojection worker, labels with their rank, and the decluttering that picks which labels to show.
 *
 * Invariants: a label of rank k is a candidate only while the camera is nearer than RANK_MAX_DISTANCE_M[k];
 * among candidates, lower rank (then more inhabitants, then the source order) wins any overlap on screen.
 */
import type { Lang } from '../../i18n';
import { lonLatHeightBuffer } from '../line-buffers';

export type Rank = 1 | 2 | 3 | 4;
/** Regional centres from the whole border, towns from a district, villages from a few valleys. */
export const RANK_MAX_DISTANCE_M: Record<Rank, number> = { 1: 450_000, 2: 130_000, 3: 45_000, 4: 16_000 };
/** Municipal outlines are drawn when the camera is nearer than this to the ground. */
export const OUTLINE_MAX_HEIGHT_M = 160_000;

export interface PlaceLabel {
  readonly code: string;
  readonly name: string;
  readonly country: 'DE' | 'CZ';
  readonly rank: Rank;
  readonly population: number | null;
  readonly lonDeg: number;
  readonly latDeg: number;
  /** WGS84 ellipsoidal ground height, metres. */
  readonly heightM: number;
  readonly names: Partial<Record<Lang, string>>;
}

export interface Places {
  readonly outlines: Float64Array[];
  readonly labels: PlaceLabel[];
}

const isRank = (r: unknown): r is Rank => r === 1 || r === 2 || r === 3 || r === 4;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function ringBuffers(geometry: { type?: string; coordinates?: unknown } | undefined): Float64Array[] {
  const polys = geometry?.type === 'Polygon' ? [geometry.coordinates] : geometry?.type === 'MultiPolygon' ? (geometry.coordinates as unknown[]) : [];
  const out: Float64Array[] = [];
  for (const poly of polys) {
    if (!Array.isArray(poly)) continue;
    for (const ring of poly) {
      // The pipeline writes the ground's ellipsoidal height as the third coordinate.
      const buf = lonLatHeightBuffer(ring);
      if (buf) out.push(buf);
    }
  }
  return out;
}

/** tilesets/places/municipalities.geojson → outlines and labels; features without a usable label point are outlines only. */
export function parsePlaces(json: unknown): Places {
  const fc = json as { type?: string; features?: unknown[] };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('places: not a GeoJSON FeatureCollection');
  const outlines: Float64Array[] = [];
  const labels: PlaceLabel[] = [];
  for (const f of fc.features as Array<{ properties?: Record<string, unknown>; geometry?: { type?: string; coordinates?: unknown } }>) {
    outlines.push(...ringBuffers(f.geometry));
    const p = f.properties ?? {};
    const label = p['label'];
    if (!Array.isArray(label) || !label.slice(0, 3).every((x) => Number.isFinite(x)) || !isRank(p['rank']) || !str(p['name'])) continue;
    const names = (typeof p['names'] === 'object' && p['names'] !== null ? p['names'] : {}) as Record<string, unknown>;
    labels.push({
      code: str(p['code']),
      name: str(p['name']),
      country: p['country'] === 'DE' ? 'DE' : 'CZ',
      rank: p['rank'],
      population: typeof p['population'] === 'number' ? p['population'] : null,
      lonDeg: label[0] as number,
      latDeg: label[1] as number,
      heightM: label[2] as number,
      names: Object.fromEntries((['cs', 'de', 'en'] as const).filter((l) => str(names[l])).map((l) => [l, str(names[l])])),
    });
  }
  return { outlines, labels };
}

/** The label in a language: the name that language uses, with the town's own name after it where they differ ("Eger (Cheb)"). */
export function labelText(lang: Lang, p: PlaceLabel): string {
  const own = p.names[lang];
  return own && own !== p.name ? `${own} (${p.name})` : p.name;
}

export interface LabelBox {
  readonly index: number;
  readonly rank: Rank;
  readonly population: number | null;
  /** Centre in window pixels and size in pixels. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Greedy decluttering: candidates in priority order, each kept unless it overlaps one already kept (a grid of
 * 64 px cells keeps the test local). Returns the kept indices.
 */
export function declutter(boxes: readonly LabelBox[], marginPx = 4): Set<number> {
  const order = boxes.toSorted((a, b) => a.rank - b.rank || (b.population ?? 0) - (a.population ?? 0) || a.index - b.index);
  const cell = 64;
  const grid = new Map<string, LabelBox[]>();
  const kept = new Set<number>();
  const overlaps = (a: LabelBox, b: LabelBox): boolean => Math.abs(a.x - b.x) * 2 < a.w + b.w + marginPx * 2 && Math.abs(a.y - b.y) * 2 < a.h + b.h + marginPx * 2;
  for (const box of order) {
    const x0 = Math.floor((box.x - box.w / 2) / cell), x1 = Math.floor((box.x + box.w / 2) / cell);
    const y0 = Math.floor((box.y - box.h / 2) / cell), y1 = Math.floor((box.y + box.h / 2) / cell);
    let free = true;
    for (let gx = x0 - 1; free && gx <= x1 + 1; gx++) {
      for (let gy = y0 - 1; free && gy <= y1 + 1; gy++) {
        if ((grid.get(`${gx},${gy}`) ?? []).some((o) => overlaps(o, box))) free = false;
      }
    }
    if (!free) continue;
    kept.add(box.index);
    for (let gx = x0; gx <= x1; gx++) {
      for (let gy = y0; gy <= y1; gy++) {
        const k = `${gx},${gy}`;
        const list = grid.get(k);
        if (list) list.push(box);
        else grid.set(k, [box]);
      }
    }
  }
  return kept;
}
