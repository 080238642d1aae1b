/**
 * The climate record's half of the sensors worker: it reads a quantity once (through SensorThings, or the record
 * file on a static host), keeps the station × month matrix and the terrain heights of the grid here, and answers
 * the page with frames (one image and the station values) and station series, every typed array transferred.
 */
import * as Comlink from 'comlink';
import type { GridSpec3035 } from '../../core/aggregation/types';
import { climateFrame, climateGrid, climateSeries, type ClimateFrame, type ClimateFrameJob, type ClimateGrid, type ClimateSeries } from '../../core/climate/frame';
import { datasetFromRecord, datasetFromSensorThings, type ClimateDataset } from '../../core/climate/dataset';
import { parseClimateRecord, type ClimateQuantity, type ClimateRecordFile } from '../../core/climate/record';
import { decodeElevation } from '../../core/climate/elevation';
import type { Dem3035 } from '../../core/coverage/types';
import type { FetchFn } from '../../core/sensors/sensorthings';

/** Where the record comes from: a SensorThings service, or the record file itself. */
export type ClimateSource = { readonly staUrl: string; readonly recordUrl: string } | { readonly staUrl: null; readonly recordUrl: string };

/** The heights under the record (climate-elevation-3035.bin and its grid, from the manifest). */
export interface ClimateTerrain {
  readonly elevationUrl: string;
  readonly grid: GridSpec3035;
}

export interface ClimateMeta {
  readonly quantity: ClimateQuantity;
  readonly unit: string;
  readonly startMonth: string;
  readonly months: number;
  readonly stationIds: readonly string[];
  readonly stationNames: readonly string[];
  readonly lonDeg: Float64Array;
  readonly latDeg: Float64Array;
  readonly elevationM: Float64Array;
  readonly grid: GridSpec3035;
  /** Whether the terrain heights are there (the lapse-rate method needs them). */
  readonly terrain: boolean;
  /** 'sensorthings' or 'file': how it was read, said in the layer's details. */
  readonly via: 'sensorthings' | 'file';
  /** Why the service was not used though one is configured (it failed): the record file was read instead. */
  readonly fallback?: string;
}

export interface ClimateApi {
  openClimate(source: ClimateSource, quantity: ClimateQuantity, terrain: ClimateTerrain | null, onProgress: (fraction: number) => void): Promise<ClimateMeta>;
  climateFrame(quantity: ClimateQuantity, job: ClimateFrameJob): Promise<ClimateFrame>;
  climateSeries(quantity: ClimateQuantity, station: number): Promise<ClimateSeries>;
}

async function fetchOk(fetchFn: typeof fetch, url: string): Promise<Response> {
  const r = await fetchFn(url);
  if (!r.ok) throw new Error(`${new URL(url).pathname}: HTTP ${r.status}`);
  return r;
}

export function createClimateApi(fetchFn: typeof fetch): ClimateApi {
  const open = new Map<ClimateQuantity, { ds: ClimateDataset; grid: ClimateGrid; via: ClimateMeta['via'] }>();
  let record: Promise<ClimateRecordFile> | null = null;
  let terrainOnce: Promise<Dem3035 | null> | null = null;

  const readRecord = (url: string): Promise<ClimateRecordFile> =>
    (record ??= fetchOk(fetchFn, url).then(async (r) => parseClimateRecord(await r.json(), 'climate-record.json')));
  const readTerrain = (t: ClimateTerrain | null): Promise<Dem3035 | null> =>
    (terrainOnce ??= !t ? Promise.resolve(null) : fetchOk(fetchFn, t.elevationUrl).then(async (r) => decodeElevation(await r.arrayBuffer(), t.grid)));
  const opened = (q: ClimateQuantity) => {
    const o = open.get(q);
    if (!o) throw new Error(`the climate record's ${q} is not open`);
    return o;
  };

  return {
    async openClimate(source, quantity, terrain, onProgress) {
      let o = open.get(quantity);
      let via: ClimateMeta['via'] = 'sensorthings';
      let fallback: string | undefined;
      if (!o) {
        let ds: ClimateDataset;
        const file = source.staUrl ? await readRecord(source.recordUrl) : null;
        if (source.staUrl && file) {
          try {
            // The file names the record's span; the values come from the service.
            ds = await datasetFromSensorThings(source.staUrl, quantity, file.startMonth, file.months, { fetch: fetchFn as unknown as FetchFn }, (f) => onProgress(f));
          } catch (err) {
            // The same values are in the record file (offline on stage, a service down): shown from it, and said.
            fallback = err instanceof Error ? err.message : String(err);
            via = 'file';
            ds = datasetFromRecord(file, quantity);
          }
        } else {
          via = 'file';
          ds = datasetFromRecord(await readRecord(source.recordUrl), quantity);
          onProgress(1);
        }
        // Without the heights the record still shows, by plain IDW (the legend says which).
        const dem = await readTerrain(terrain).catch(() => null);
        o = { ds, grid: climateGrid(ds, dem), via };
        open.set(quantity, o);
      }
      const s = o.ds.stations;
      return {
        quantity, unit: o.ds.unit, startMonth: o.ds.startMonth, months: o.ds.matrix.months,
        stationIds: s.ids, stationNames: s.names, lonDeg: s.lonDeg.slice(), latDeg: s.latDeg.slice(), elevationM: s.elevationM.slice(),
        grid: o.grid.grid, terrain: o.grid.elevationM !== null, via: o.via,
        ...(fallback ? { fallback } : {}),
      };
    },
    async climateFrame(quantity, job) {
      const o = opened(quantity);
      const f = climateFrame(o.ds, o.grid, job);
      return Comlink.transfer(f, [f.stationValues.buffer, f.values.buffer, f.image.buffer] as ArrayBuffer[]);
    },
    async climateSeries(quantity, station) {
      const s = climateSeries(opened(quantity).ds, station);
      return Comlink.transfer(s, [s.values.buffer, s.normal.buffer] as ArrayBuffer[]);
    },
  };
}
