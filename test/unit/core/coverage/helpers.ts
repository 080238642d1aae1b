import type { Dem3035, GridSpec3035, SiteArrays } from '../../../../core/coverage/types';

/** A DEM over `grid` with height `f(col, row)` per cell. */
export function demOf(grid: GridSpec3035, f: (col: number, row: number) => number): Dem3035 {
  const heightM = new Float32Array(grid.width * grid.height);
  for (let r = 0; r < grid.height; r++) for (let c = 0; c < grid.width; c++) heightM[r * grid.width + c] = f(c, r);
  return { grid, heightM };
}

/** Centre of cell (col, row), EPSG:3035 metres. */
export const centreOf = (grid: GridSpec3035, col: number, row: number): { xM: number; yM: number } => ({
  xM: grid.xMinM + (col + 0.5) * grid.cellM,
  yM: grid.yMaxM - (row + 0.5) * grid.cellM,
});

export interface SiteSpec {
  xM: number;
  yM: number;
  groundM?: number;
  aglM?: number;
  azimuthDeg?: number;
  beamwidthDeg?: number;
  eirpDbm?: number;
  fMHz?: number;
}

/** SiteArrays from a list; defaults: ground from the DEM, 30 m antenna, omni, 65° beam, 40 dBm, 3.5 GHz. */
export function sitesOf(list: readonly SiteSpec[]): SiteArrays {
  const col = (f: (s: SiteSpec) => number): Float32Array => Float32Array.from(list, f);
  return {
    count: list.length,
    x: Float64Array.from(list, (s) => s.xM),
    y: Float64Array.from(list, (s) => s.yM),
    groundM: col((s) => s.groundM ?? Number.NaN),
    antennaAglM: col((s) => s.aglM ?? 30),
    azimuthDeg: col((s) => s.azimuthDeg ?? Number.NaN),
    beamwidthDeg: col((s) => s.beamwidthDeg ?? 65),
    eirpDbm: col((s) => s.eirpDbm ?? 40),
    fMHz: col((s) => s.fMHz ?? 3500),
  };
}
