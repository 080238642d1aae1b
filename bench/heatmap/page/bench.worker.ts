/**
 * The heatmap bench's worker: the comparisons that run inside a worker, timed there (performance.now around the
 * call only), so all of them see the same thread, JIT and memory. Data is generated here rather than sent.
 */
import { collect, featureCollection, point, polygon } from '@turf/turf';
import { expose } from 'comlink';
import type { Feature, Polygon } from 'geojson';
import { interpolateViridis } from 'd3-scale-chromatic';
import { aggregate, aggregateSeries, aggregateValues, binStep, binSums, bucketByTime, cellSums, kdeFromSums, meanOfSums, stepCells } from '../../../core/aggregation/aggregate';
import { colourizeWithRange, lutFromInterpolator } from '../../../core/aggregation/colour';
import type { GridSpec3035, Readings3035 } from '../../../core/aggregation/types';
import { BENCH_GRID, HOUR_MS, T0_MS, uniformReadings } from '../data';

const colour = { domain: [0, 30] as const, lut: lutFromInterpolator(interpolateViridis) };
let frameReadings: Readings3035 | null = null;
let scrubReadings: Readings3035 | null = null;
let partsSums: Float32Array | null = null;

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** A naive binning: an object per reading and a Map of cell objects, as a first version would be written. */
function naiveMean(grid: GridSpec3035, r: Readings3035): Float32Array {
  const points = Array.from({ length: r.x.length }, (_, i) => ({ x: r.x[i]!, y: r.y[i]!, value: r.value[i]! }));
  const cells = new Map<number, { sum: number; n: number }>();
  for (const p of points) {
    const col = Math.floor((p.x - grid.xMinM) / grid.cellM);
    const row = Math.floor((grid.yMaxM - p.y) / grid.cellM);
    if (col < 0 || col >= grid.width || row < 0 || row >= grid.height || Number.isNaN(p.value)) continue;
    const key = row * grid.width + col;
    const cell = cells.get(key);
    if (cell) {
      cell.sum += p.value;
      cell.n++;
    } else {
      cells.set(key, { sum: p.value, n: 1 });
    }
  }
  const out = new Float32Array(grid.width * grid.height).fill(NaN);
  for (const [key, c] of cells) out[key] = c.sum / c.n;
  return out;
}

/** The corner cells of the frame grid that turf bins (turf takes seconds for the whole frame). */
const TURF_SIDE = 128;
const turfGrid: GridSpec3035 = { ...BENCH_GRID, width: TURF_SIDE, height: TURF_SIDE };
let turfPolygons: Feature<Polygon>[] | null = null;
let turfSample: Readings3035 | null = null;

/** The same cells as polygons in EPSG:3035 metres (turf's point-in-polygon is planar), built once like a cached view grid. */
function turfCells(): Feature<Polygon>[] {
  const { xMinM, yMaxM, cellM } = turfGrid;
  const out: Feature<Polygon>[] = [];
  for (let row = 0; row < TURF_SIDE; row++) {
    for (let col = 0; col < TURF_SIDE; col++) {
      const x0 = xMinM + col * cellM;
      const y1 = yMaxM - row * cellM;
      out.push(polygon([[[x0, y1], [x0 + cellM, y1], [x0 + cellM, y1 - cellM], [x0, y1 - cellM], [x0, y1]]], { cell: row * TURF_SIDE + col }));
    }
  }
  return out;
}

/** Mean per cell through turf: points as GeoJSON, `collect` into the cell polygons, then the mean of each list. */
function turfMean(r: Readings3035, cellsPolys: Feature<Polygon>[]): Float32Array {
  const pts = featureCollection(Array.from({ length: r.x.length }, (_, i) => point([r.x[i]!, r.y[i]!], { value: r.value[i]! })));
  const polys = featureCollection(cellsPolys.map((p) => ({ ...p, properties: { ...p.properties } })));
  const done = collect(polys, pts, 'value', 'values');
  const out = new Float32Array(TURF_SIDE * TURF_SIDE).fill(NaN);
  for (const f of done.features) {
    const vs = (f.properties as { values: number[]; cell: number }).values;
    if (vs.length) out[(f.properties as { cell: number }).cell] = vs.reduce((a, b) => a + b, 0) / vs.length;
  }
  return out;
}

function subset(r: Readings3035, keep: (i: number) => boolean): Readings3035 {
  const idx = [...r.x.keys()].filter(keep);
  return { x: Float64Array.from(idx, (i) => r.x[i]!), y: Float64Array.from(idx, (i) => r.y[i]!), value: Float32Array.from(idx, (i) => r.value[i]!) };
}

/** Exact separable Gaussian (kernel to 3σ, zero outside), the reference the box blur approximates. */
function exactGauss(src: Float64Array, w: number, h: number, sigma: number, tmp: Float64Array): void {
  const r = Math.ceil(3 * sigma);
  const k = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const norm = k.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k.length; i++) k[i]! /= norm;
  for (let row = 0; row < h; row++) {
    for (let c = 0; c < w; c++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const cc = c + j;
        if (cc >= 0 && cc < w) acc += src[row * w + cc]! * k[j + r]!;
      }
      tmp[row * w + c] = acc;
    }
  }
  for (let row = 0; row < h; row++) {
    for (let c = 0; c < w; c++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const rr = row + j;
        if (rr >= 0 && rr < h) acc += tmp[rr * w + c]! * k[j + r]!;
      }
      src[row * w + c] = acc;
    }
  }
}

const KDE_SIGMA_M = 2500;
const STEPS = { t0Ms: T0_MS, stepMs: HOUR_MS, count: 24 };

const api = {
  prepareFrame(n: number): void {
    frameReadings = uniformReadings(n, 1);
  },
  prepareScrub(n: number): void {
    scrubReadings = uniformReadings(n, 2, true);
  },
  /** aggregate() in the worker: binning, mean and colours of the whole frame. */
  ours(): number {
    return timed(() => aggregate({ grid: BENCH_GRID, readings: frameReadings!, params: { op: 'mean' }, colour }));
  },
  /** aggregate()'s two parts: binning into cell sums (kept between runs, as aggregate() keeps its own), then means, colours and range. */
  oursParts(): { bin: number; finish: number } {
    partsSums ??= cellSums(BENCH_GRID);
    const acc = partsSums.fill(0);
    const bin = timed(() => binSums(BENCH_GRID, frameReadings!, acc, undefined, 15));
    const finish = timed(() => colourizeWithRange(meanOfSums(acc, 15), colour));
    return { bin, finish };
  },
  naive(): number {
    return timed(() => naiveMean(BENCH_GRID, frameReadings!));
  },
  /** turf on the 128² corner with the readings in it (1/16 of the frame): ms for the sample and the scale to the frame. */
  turf(): { ms: number; readings: number; scale: number; maxDiff: number } {
    turfPolygons ??= turfCells();
    const cornerX = turfGrid.xMinM + TURF_SIDE * turfGrid.cellM;
    const cornerY = turfGrid.yMaxM - TURF_SIDE * turfGrid.cellM;
    turfSample ??= subset(frameReadings!, (i) => frameReadings!.x[i]! < cornerX && frameReadings!.y[i]! > cornerY);
    let turfValues: Float32Array = new Float32Array(0);
    const ms = timed(() => {
      turfValues = turfMean(turfSample!, turfPolygons!);
    });
    // same answer as ours on those cells (points exactly on an edge do not occur in random data)
    const ourValues = aggregateValues(turfGrid, turfSample, { op: 'mean' }, undefined).values;
    let maxDiff = 0;
    for (let c = 0; c < ourValues.length; c++) {
      const d = Math.abs(ourValues[c]! - turfValues[c]!);
      maxDiff = Math.max(maxDiff, Number.isNaN(d) ? (Number.isNaN(ourValues[c]!) && Number.isNaN(turfValues[c]!) ? 0 : Infinity) : d);
    }
    return { ms, readings: turfSample.x.length, scale: (BENCH_GRID.width * BENCH_GRID.height) / (TURF_SIDE * TURF_SIDE), maxDiff };
  },
  /** The 24-step scrub, bucketing by time first (aggregateSeries): ms for the bucketing and all 24 frames. */
  async scrubBucketed(): Promise<number> {
    const t0 = performance.now();
    await aggregateSeries(BENCH_GRID, scrubReadings!, { op: 'mean' }, STEPS, undefined, 15);
    return performance.now() - t0;
  },
  /** The bucketed scrub in its two parts: bucketing (stepCells) and the 24 steps' binning and means. */
  scrubParts(): { bucket: number; steps: number } {
    let cells: ReturnType<typeof stepCells> | null = null;
    const bucket = timed(() => {
      cells = stepCells(BENCH_GRID, scrubReadings!, STEPS, 15, true);
    });
    const acc = cellSums(BENCH_GRID);
    const steps = timed(() => {
      for (let s = 0; s < STEPS.count; s++) {
        acc.fill(0);
        binStep(cells!, s, acc);
        meanOfSums(acc, 15);
      }
    });
    return { bucket, steps };
  },
  /** The same through bucketByTime's index order: each step gathers its readings from all over the arrays. */
  scrubByIndex(): number {
    return timed(() => {
      const { order, offsets } = bucketByTime(scrubReadings!.tMs!, STEPS.t0Ms, STEPS.stepMs, STEPS.count);
      for (let s = 0; s < STEPS.count; s++) aggregateValues(BENCH_GRID, scrubReadings!, { op: 'mean' }, order.subarray(offsets[s]!, offsets[s + 1]!), 15);
    });
  },
  /** Each step scanning every reading for its window. */
  scrubScan(): number {
    return timed(() => {
      for (let s = 0; s < STEPS.count; s++) {
        const win = { t0Ms: STEPS.t0Ms + s * STEPS.stepMs, t1Ms: STEPS.t0Ms + (s + 1) * STEPS.stepMs };
        aggregateValues(BENCH_GRID, scrubReadings!, { op: 'mean' }, win, 15);
      }
    });
  },
  /** kde from binned sums (the box blur of sums and counts, and the ratio) against the exact Gaussian on the same sums. */
  kde(): { box: number; boxFull: number; exact: number } {
    const acc = cellSums(BENCH_GRID);
    binSums(BENCH_GRID, frameReadings!, acc, { start: 0, end: 200_000 }, 15);
    const box = timed(() => kdeFromSums(BENCH_GRID, acc, KDE_SIGMA_M, 0.05, 15));
    // σ of 2 cells: below the pyramid's 4, so the boxes run on the full 512²
    const boxFull = timed(() => kdeFromSums(BENCH_GRID, acc, 2 * BENCH_GRID.cellM, 0.05, 15));
    const cells = BENCH_GRID.width * BENCH_GRID.height;
    const exact = timed(() => {
      const s = new Float64Array(cells);
      const n = new Float64Array(cells);
      for (let c = 0; c < cells; c++) {
        s[c] = acc[2 * c]!;
        n[c] = acc[2 * c + 1]!;
      }
      const tmp = new Float64Array(cells);
      exactGauss(s, BENCH_GRID.width, BENCH_GRID.height, KDE_SIGMA_M / BENCH_GRID.cellM, tmp);
      exactGauss(n, BENCH_GRID.width, BENCH_GRID.height, KDE_SIGMA_M / BENCH_GRID.cellM, tmp);
      const out = new Float32Array(cells);
      const peak = 1 / (2 * Math.PI * (KDE_SIGMA_M / BENCH_GRID.cellM) ** 2);
      for (let c = 0; c < cells; c++) out[c] = n[c]! / peak >= 0.05 ? s[c]! / n[c]! + 15 : NaN;
    });
    return { box, boxFull, exact };
  },
};

export type HeatmapBenchWorker = typeof api;

expose(api);
