/**
 * (d) The climate record's frames, in node (the same core functions the sensors worker runs), on the real
 * committed record and heights:
 * - one month of all temperature stations on the record's grid (≤ 512 cells across): IDW of the residuals from a
 *   lapse rate fitted to the stations, plus the terrain heights (values), and plain IDW of the anomalies against
 *   1961–1990, each with the colouring and the lon/lat warp the page draws, and the leave-one-station-out error;
 * - the naive way for the same map: the same fit once, then every cell visits every station (no culling of the
 *   stations out of a row's reach), an object per station, Math.hypot and Math.pow;
 * - a 708-month scrub (every month of 1961–2019, values with the lapse rate, grids only) against the naive way,
 *   which is timed on 24 months and scaled ×29.5 (it takes minutes for the whole record).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lutFromInterpolator } from '../../core/aggregation/colour';
import { climateFrame, climateGrid, selectionValues, type ClimateGrid } from '../../core/climate/frame';
import { datasetFromRecord, type ClimateDataset } from '../../core/climate/dataset';
import { decodeElevation } from '../../core/climate/elevation';
import { fitElevation, interpolateStations } from '../../core/climate/interpolate';
import { parseClimateRecord } from '../../core/climate/record';
import type { GridSpec3035 } from '../../core/aggregation/types';
import { median, report } from '../lib';

const root = path.resolve(import.meta.dirname, '../..');
const JULY_2015 = (2015 - 1961) * 12 + 6;

function load(): { ds: ClimateDataset; g: ClimateGrid } {
  const record = parseClimateRecord(JSON.parse(readFileSync(path.join(root, 'tilesets/sensors/climate-record.json'), 'utf8')));
  const manifest = JSON.parse(readFileSync(path.join(root, 'tilesets/manifest.json'), 'utf8')) as { layers: Array<{ kind: string; extras?: { elevation?: { url: string; grid: GridSpec3035 } } }> };
  const e = manifest.layers.find((l) => l.kind === 'climate')!.extras!.elevation!;
  const dem = decodeElevation(readFileSync(path.join(root, 'tilesets', e.url)), e.grid);
  const ds = datasetFromRecord(record, 'temperature');
  return { ds, g: climateGrid(ds, dem) };
}

/** The obvious implementation: per cell, every station, the regression refitted, no culling, no typed scratch. */
function naive(ds: ClimateDataset, g: ClimateGrid, values: Float32Array, useElevation: boolean): Float32Array {
  const { grid } = g;
  const out = new Float32Array(grid.width * grid.height);
  const stations = Array.from(values, (v, i) => ({ x: ds.stations.x3035[i]!, y: ds.stations.y3035[i]!, z: ds.stations.elevationM[i]!, v })).filter((s) => !Number.isNaN(s.v) && (!useElevation || !Number.isNaN(s.z)));
  let a = 0, b = 0;
  if (useElevation) {
    const n = stations.length;
    const mz = stations.reduce((s, p) => s + p.z, 0) / n;
    const mv = stations.reduce((s, p) => s + p.v, 0) / n;
    b = stations.reduce((s, p) => s + (p.z - mz) * (p.v - mv), 0) / stations.reduce((s, p) => s + (p.z - mz) ** 2, 0);
    a = mv - b * mz;
  }
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const cx = grid.xMinM + (col + 0.5) * grid.cellM;
      const cy = grid.yMaxM - (row + 0.5) * grid.cellM;
      let num = 0, den = 0;
      for (const s of stations) {
        const d = Math.hypot(s.x - cx, s.y - cy);
        if (d > 40_000) continue;
        const w = Math.pow(Math.max(d, 1), -2);
        num += w * (s.v - (a + b * s.z));
        den += w;
      }
      const z = g.elevationM ? g.elevationM[row * grid.width + col]! : 0;
      out[row * grid.width + col] = den > 0 ? num / den + a + b * z : NaN;
    }
  }
  return out;
}

export function benchClimate(runs: number): void {
  const { ds, g } = load();
  const lut = lutFromInterpolator((t) => `rgb(${Math.round(255 * t)}, 0, ${Math.round(255 * (1 - t))})`);
  const colour = { domain: [-12, 22] as const, lut };
  const t: Record<string, number[]> = {};
  const time = (k: string, f: () => unknown): void => {
    const t0 = performance.now();
    f();
    (t[k] ??= []).push(performance.now() - t0);
  };
  let rmse = { lapse: 0, plain: 0, stations: 0 };
  for (let run = -1; run < runs; run++) {
    const keep = run >= 0;
    const month = { kind: 'month', month: JULY_2015 } as const;
    time('frameLapse', () => {
      const f = climateFrame(ds, g, { selection: month, anomaly: false, useElevation: true, colour });
      rmse = { lapse: f.cv.rmse, plain: f.cvPlain.rmse, stations: f.stationsWithValue };
    });
    time('frameAnomaly', () => climateFrame(ds, g, { selection: month, anomaly: true, useElevation: false, colour: { domain: [-5, 5], lut } }));
    const v = selectionValues(ds, month, false);
    time('gridLapse', () => interpolateStations(ds.stations, v, g.grid, g.elevationM, { useElevation: true }));
    time('naiveLapse', () => naive(ds, g, v, true));
    time('scrub', () => {
      for (let m = 0; m < ds.matrix.months; m++) interpolateStations(ds.stations, selectionValues(ds, { kind: 'month', month: m }, false), g.grid, g.elevationM, { useElevation: true });
    });
    time('naiveScrub24', () => {
      for (let m = JULY_2015 - 23; m <= JULY_2015; m++) naive(ds, g, selectionValues(ds, { kind: 'month', month: m }, false), true);
    });
    if (!keep) for (const k of Object.keys(t)) t[k] = [];
  }
  const fit = fitElevation(ds.stations, selectionValues(ds, { kind: 'month', month: JULY_2015 }, false));
  report(`(d) ČHMÚ climate record: one month of ${ds.stations.ids.length} temperature stations on a ${g.grid.width}×${g.grid.height} grid of ${g.grid.cellM} m (ms, lower is better)`, [
    { name: 'grid: IDW + lapse rate', unit: 'ms', runs: t['gridLapse']! },
    { name: 'grid: naive (every station per cell)', unit: 'ms', runs: t['naiveLapse']! },
    { name: 'frame: values, lapse, colour, warp, CV', unit: 'ms', runs: t['frameLapse']! },
    { name: 'frame: anomaly, IDW, colour, warp, CV', unit: 'ms', runs: t['frameAnomaly']! },
  ], 'grid: IDW + lapse rate');
  report(`(e) ${ds.matrix.months}-month scrub, values with the lapse rate, grids only (ms for the whole record, lower is better)`, [
    { name: `scrub: IDW + lapse, ${ds.matrix.months} months`, unit: 'ms', runs: t['scrub']! },
    { name: `naive, 24 months ×${(ds.matrix.months / 24).toFixed(1)}`, unit: 'ms', runs: t['naiveScrub24']!.map((x) => (x * ds.matrix.months) / 24) },
  ], `scrub: IDW + lapse, ${ds.matrix.months} months`);
  console.log(
    `July 2015: lapse rate ${(fit.perM * 1000).toFixed(2)} °C/km from ${fit.stations} stations; leave-one-station-out RMSE ${rmse.lapse.toFixed(2)} °C with it, ` +
      `${rmse.plain.toFixed(2)} °C plain IDW (${rmse.stations} stations); per month of the scrub ${(median(t['scrub']!) / ds.matrix.months).toFixed(1)} ms`,
  );
}
