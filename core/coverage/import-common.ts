/**
 * What the coverage grid and site list imports share: hooks, limits, warnings, column lookup, the CRS of centres.
 */
import type { Epsg } from '../geo/crs';
import type { CrsDetection } from '../formats/import/detect-crs';
import { JobCancelledError } from '../reproject/reproject';
import type { JobHooks } from '../jobs/progress';
import { CoverageInputError, type GridSpec3035 } from './types';

/** Progress, cancellation and chunk sizes (`JobHooks` fits; the sizes are for tests and benchmarks). */
export interface ImportGridHooks extends Partial<JobHooks> {
  /** CSV characters per parse chunk. */
  readonly chunkChars?: number;
  /** Analysis cells (or raster pixels) per chunk of resampling work. */
  readonly chunkCells?: number;
}

/** Warnings listed one by one; beyond this they are counted. */
export const MAX_WARNINGS = 50;
/** RSRP as 3GPP reports it runs from −156 to −31 dBm; a little room either side for other measures in dBm. */
export const RSRP_RANGE_DBM: readonly [number, number] = [-170, -20];
export const DEFAULT_CHUNK_CELLS = 1 << 17;

/** Column names are compared after `normaliseColumnName`: lower case, no accents, no units in brackets. */
export const CRS_NAMES = ['crs', 'epsg', 'epsgcode', 'srid', 'srs', 'crsepsg', 'referencesystem', 'souradnicovysystem', 'koordinatensystem'];

export function findColumn(norm: readonly string[], names: readonly string[]): number {
  // The first name in the list wins over later ones (most specific first), whatever the column order.
  for (const n of names) {
    const i = norm.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

export const cellCount = (g: GridSpec3035): number => g.width * g.height;

export class Warnings {
  readonly list: string[] = [];
  private extra = 0;
  add(message: string): void {
    if (this.list.length < MAX_WARNINGS) this.list.push(message);
    else this.extra++;
  }
  done(): string[] {
    return this.extra > 0 ? [...this.list, `… and ${this.extra} more warnings`] : this.list;
  }
}

export function cancelCheck(hooks: ImportGridHooks): void {
  if (hooks.isCancelled?.()) throw new JobCancelledError();
}

const metresText = (v: number): string => Math.round(v).toLocaleString('en-GB').replace(/,/g, ' ');

export function grdText(g: GridSpec3035): string {
  return `E ${metresText(g.xMinM)} … ${metresText(g.xMinM + g.width * g.cellM)}, N ${metresText(g.yMaxM - g.height * g.cellM)} … ${metresText(g.yMaxM)} (EPSG:3035)`;
}

export function crsFromDetection(det: CrsDetection, warnings: Warnings, declaredText: string | null): { epsg: Epsg; swapAxes: boolean; x: string; y: string } {
  const top = det.candidates[0];
  if (!top?.columns) {
    const why = det.problems.filter((p) => p.severity === 'error').map((p) => p.message).join('; ');
    throw new CoverageInputError('bad-value', `the coordinate system of the cell centres cannot be told${declaredText ? ` (the file says "${declaredText}")` : ''}: ${why || 'no coordinates to judge it from'}`);
  }
  for (const p of det.problems) if (p.severity === 'warning') warnings.add(`coordinate system: ${p.message}`);
  return { epsg: top.epsg, swapAxes: top.swapAxes, x: top.columns.x, y: top.columns.y };
}
