/**
 * Boundaries, renderer-neutral: GeoJSON lines grouped by kind into flat lon/lat/height buffers (stride 3,
 * degrees and metres), ready for reprojection to ECEF in a worker.
 */
import type { LineStyle } from '../../scene/ground-lines';
import { lonLatHeightBuffer } from '../line-buffers';

export type BoundaryKind = 'state-border' | 'region';
export const BOUNDARY_STYLES: Record<BoundaryKind, LineStyle> = {
  'state-border': { color: '#e4002b', widthPx: 4 },
  region: { color: '#ffd400', widthPx: 2 },
};

export function boundaryLines(json: unknown): Record<BoundaryKind, Float64Array[]> {
  const out: Record<BoundaryKind, Float64Array[]> = { 'state-border': [], region: [] };
  const fc = json as { type?: string; features?: unknown[] };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('boundaries: not a GeoJSON FeatureCollection');
  for (const f of fc.features as Array<{ properties?: { kind?: string }; geometry?: { type?: string; coordinates?: unknown } }>) {
    const kind: BoundaryKind = f.properties?.kind === 'state-border' ? 'state-border' : 'region';
    const g = f.geometry;
    const parts = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? (g.coordinates as unknown[]) : [];
    for (const part of parts) {
      const buf = lonLatHeightBuffer(part);
      if (buf) out[kind].push(buf);
    }
  }
  return out;
}

export interface RegionLabel {
  readonly name: string;
  /** ISO 3166-2 code, for the name in the UI language ('' when the data has none). */
  readonly code: string;
  readonly lonDeg: number;
  readonly latDeg: number;
}

/** Region names and where to put them (written by the pipeline); features without a label point are skipped. */
export function regionLabels(json: unknown): RegionLabel[] {
  const fc = json as { features?: Array<{ properties?: Record<string, unknown> }> };
  const out: RegionLabel[] = [];
  for (const f of fc?.features ?? []) {
    const p = f.properties ?? {};
    const lon = p['labelLonDeg'];
    const lat = p['labelLatDeg'];
    if (p['kind'] !== 'region' || typeof lon !== 'number' || typeof lat !== 'number' || typeof p['name'] !== 'string') continue;
    out.push({ name: p['name'], code: typeof p['code'] === 'string' ? p['code'] : '', lonDeg: lon, latDeg: lat });
  }
  return out;
}
