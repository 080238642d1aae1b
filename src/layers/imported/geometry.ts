/**
 * What the page needs to draw an imported file, renderer-neutral. All positions are WGS84: lon/lat degrees and
 * ellipsoidal metres, flat Float64Array stride 3. `heights: 'ground'` means the file had no heights and every z is
 * 0: the binding then puts the features on the terrain.
 *   points:    xyz, pointFeature[i] = feature index of point i
 *   lines:     packed lines (see core/geo/buffers.ts PackedLines), lineFeature[j] = feature of line j
 *   rings:     polygon rings as packed lines, ringFeature[k] = feature of ring k
 *   triangles: xyz vertices + indices (3 per triangle), triangleFeature[t] = feature of triangle t
 */
import type { PackedLines } from '../../../core/geo/buffers';

export interface ImportedGeometry {
  readonly heights: 'data' | 'ground';
  readonly points: { readonly xyz: Float64Array; readonly feature: Uint32Array };
  readonly lines: PackedLines & { readonly feature: Uint32Array };
  readonly rings: PackedLines & { readonly feature: Uint32Array };
  readonly triangles: { readonly xyz: Float64Array; readonly indices: Uint32Array; readonly feature: Uint32Array };
}

/** Feature properties, one column per name: numbers (NaN = empty) or strings. */
export interface ImportedProperties {
  readonly names: readonly string[];
  readonly columns: ReadonlyArray<Float64Array | readonly string[]>;
}

/** A colour per feature from one column: numbers on a ramp (min..max), strings by category; null = default colour. */
export function featureColours(props: ImportedProperties, featureCount: number, column: string | null): Uint8Array | null {
  if (column === null) return null;
  const i = props.names.indexOf(column);
  const col = props.columns[i];
  if (!col) return null;
  const out = new Uint8Array(featureCount * 3);
  if (col instanceof Float64Array) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of col) if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
    for (let f = 0; f < featureCount; f++) {
      const v = col[f]!;
      const c = Number.isFinite(v) ? ramp(max > min ? (v - min) / (max - min) : 0.5) : GREY;
      out.set(c, f * 3);
    }
  } else {
    const categories = new Map<string, number>();
    for (let f = 0; f < featureCount; f++) {
      const v = col[f] ?? '';
      if (!categories.has(v)) categories.set(v, categories.size);
      out.set(v === '' ? GREY : CATEGORICAL[categories.get(v)! % CATEGORICAL.length]!, f * 3);
    }
  }
  return out;
}

const GREY: readonly [number, number, number] = [150, 150, 150];
/** Tableau 10: distinct on terrain and imagery alike. */
const CATEGORICAL: ReadonlyArray<readonly [number, number, number]> = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];
/** Viridis, five stops, linear between them. */
const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function ramp(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}
