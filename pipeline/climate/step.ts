/**
 * Climate: the ČHMÚ station record of the region (monthly 1961–2019, daily Plzeň-Mikulka 2004–2025) as one JSON,
 * which the sample SensorThings service serves as MEASURED datastreams. Values are copied, never changed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureCollection, Point } from 'geojson';
import Papa from 'papaparse';
import { DAY_MS, monthNumber, type ClimateRecordFile, type QuantityRecord, type StationSeries } from '../../core/climate/record';
import type { ManifestEntry, PipelineContext } from '../context';
import { gridForExtent } from '../../core/aggregation/aggregate';
import type { GridSpec3035 } from '../../core/aggregation/types';
import { converter } from '../../core/geo/crs';
import { encodeElevation, ELEVATION_CELL_M } from '../../core/climate/elevation';
import type { TerrainModel } from '../terrain-model';

interface StationProps { id: string; name: string; full_name: string; type: string; elevation_m: number | null }

export const CLIMATE_ATTRIBUTION = 'Zdroj: ČHMÚ (denní data dle z. 123/1998 Sb.), odvozené měsíční hodnoty: github.com/juhele/chmu-process; denní data Plzeň-Mikulka: ČHMÚ otevřená data';
const START_MONTH = '1961-01';
const END_MONTH = '2019-12';
const DAILY_STATION = 'L1PLMI01';

const TEMPERATURE_UNIT = { name: 'degree Celsius', symbol: '°C', definition: 'http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html#DegreeCelsius' };
const PRECIP_UNIT = { name: 'millimetre', symbol: 'mm', definition: 'http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html#Millimeter' };

function csvRows(text: string, file: string): Array<Record<string, string>> {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row ?? '?'})`);
  return parsed.data;
}

/** Long rows (station, index, value) → one series per station, gaps as null; a value given twice is an error. */
export function toSeries(rows: ReadonlyArray<{ station: string; index: number; value: number }>, what: string): Record<string, StationSeries> {
  const by = new Map<string, Map<number, number>>();
  for (const r of rows) {
    let m = by.get(r.station);
    if (!m) by.set(r.station, (m = new Map()));
    if (m.has(r.index)) throw new Error(`${what}: ${r.station} has two values for step ${r.index}`);
    m.set(r.index, r.value);
  }
  const out: Record<string, StationSeries> = {};
  for (const station of [...by.keys()].toSorted()) {
    const m = by.get(station)!;
    const idx = [...m.keys()];
    const first = Math.min(...idx);
    const last = Math.max(...idx);
    const values: Array<number | null> = [];
    for (let i = first; i <= last; i++) values.push(m.get(i) ?? null);
    out[station] = { first, values };
  }
  return out;
}

function monthlyRows(text: string, file: string, column: string, start: number): Array<{ station: string; index: number; value: number }> {
  return csvRows(text, file).map((r, i) => {
    const value = Number(r[column]);
    if (!r['station_id'] || !r['month'] || !Number.isFinite(value)) throw new Error(`${file} line ${i + 2}: "${JSON.stringify(r)}" is not a station, month and value`);
    return { station: r['station_id'], index: monthNumber(r['month']) - start, value };
  });
}

/** ČHMÚ open-data daily CSV: the rows of one TIMEFUNC, indexed by UTC day from `startDayMs`. */
function dailyRows(text: string, file: string, timeFunc: string): Array<{ day: number; value: number }> {
  return csvRows(text, file).filter((r) => r['TIMEFUNC'] === timeFunc && r['VALUE'] !== '').map((r) => {
    const t = Date.parse(r['DT']!.replace('Z', ':00Z'));
    const value = Number(r['VALUE']);
    if (!Number.isFinite(t) || !Number.isFinite(value)) throw new Error(`${file}: "${r['DT']}" "${r['VALUE']}" is not a time and value`);
    return { day: Math.floor(t / DAY_MS), value };
  });
}

function quantity(name: string, description: string, definition: string, unit: QuantityRecord['unit'], series: QuantityRecord['series']): QuantityRecord {
  return { name, description, definition, unit, series };
}

export async function buildClimateRecord(dataDir: string): Promise<ClimateRecordFile> {
  const dir = path.join(dataDir, 'sensors/chmi_observations');
  const monthlyDir = path.join(dir, 'chmi_monthly_1961_2019');
  const dailyDir = path.join(dir, 'chmi_daily_plzen_mikulka_11450');
  const stations = JSON.parse(await readFile(path.join(monthlyDir, 'chmi_stations_aoi.geojson'), 'utf8')) as FeatureCollection<Point, StationProps>;
  const start = monthNumber(START_MONTH);
  const tFile = 'chmi_monthly_t_mean_C_aoi.csv';
  const pFile = 'chmi_monthly_precip_mm_aoi.csv';
  const temperature = toSeries(monthlyRows(await readFile(path.join(monthlyDir, tFile), 'utf8'), tFile, 't_mean_C', start), tFile);
  const precipitation = toSeries(monthlyRows(await readFile(path.join(monthlyDir, pFile), 'utf8'), pFile, 'precip_mm', start), pFile);

  const dT = dailyRows(await readFile(path.join(dailyDir, 'dly-0-20000-0-11450-T.csv'), 'utf8'), 'dly-0-20000-0-11450-T.csv', 'AVG');
  // Precipitation is read at 06 UTC for the 24 hours before: the stamp's day minus one is the day it fell.
  const dP = dailyRows(await readFile(path.join(dailyDir, 'dly-0-20000-0-11450-SRA.csv'), 'utf8'), 'dly-0-20000-0-11450-SRA.csv', '06:00').map((r) => ({ day: r.day - 1, value: r.value }));
  const firstDay = Math.min(dT[0]!.day, dP[0]!.day);
  const daily = (rows: Array<{ day: number; value: number }>, what: string) => toSeries(rows.map((r) => ({ station: DAILY_STATION, index: r.day - firstDay, value: r.value })), what);

  return {
    version: 1,
    attribution: CLIMATE_ATTRIBUTION,
    licence: 'ČHMÚ terms of use of freely available data (Podmínky užití údajů ČHMÚ): free use naming ČHMÚ as the source; not for warnings or crisis management',
    source: 'ČHMÚ station data: monthly values derived by J. Hele (github.com/juhele/chmu-process, 2021) from daily data released under Act 123/1998 Sb.; daily Plzeň-Mikulka files from opendata.chmi.cz',
    startMonth: START_MONTH,
    months: monthNumber(END_MONTH) - start + 1,
    stations: stations.features
      .filter((f) => temperature[f.properties.id] || precipitation[f.properties.id])
      .map((f) => ({
        id: f.properties.id,
        name: f.properties.full_name || f.properties.name,
        type: f.properties.type,
        lonDeg: f.geometry.coordinates[0]!,
        latDeg: f.geometry.coordinates[1]!,
        elevationM: f.properties.elevation_m ?? null,
      }))
      .toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    monthly: {
      temperature: quantity('Air temperature, monthly mean', 'Monthly mean of the daily mean air temperature (2 m)', 'http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/', TEMPERATURE_UNIT, temperature),
      precipitation: quantity('Precipitation, monthly sum', 'Monthly sum of daily precipitation', 'http://vocab.nerc.ac.uk/collection/P07/current/CFSN0554/', PRECIP_UNIT, precipitation),
    },
    daily: {
      stationId: DAILY_STATION,
      startDay: new Date(firstDay * DAY_MS).toISOString().slice(0, 10),
      temperature: quantity('Air temperature, daily mean', 'Daily mean air temperature (2 m)', 'http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/', TEMPERATURE_UNIT, daily(dT, 'daily T')),
      precipitation: quantity('Precipitation, daily sum', 'Precipitation of the day (read at 06 UTC the next morning)', 'http://vocab.nerc.ac.uk/collection/P07/current/CFSN0554/', PRECIP_UNIT, daily(dP, 'daily SRA')),
    },
  };
}

/** Compact: the record is 1 MB as it is (≈350 KB gzip on the wire). */
function serialise(record: ClimateRecordFile): string {
  return `${JSON.stringify(record)}\n`;
}

const valueCount = (q: QuantityRecord): number => Object.values(q.series).reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);

/**
 * Heights above sea level under the record's stations (their reach included), for the lapse-rate interpolation:
 * the terrain model's source heights (SRTM, EGM96), sampled at 1 km cell centres of an EPSG:3035 grid.
 */
export function elevationGrid(record: ClimateRecordFile, terrain: TerrainModel): { grid: GridSpec3035; heightM: Float32Array } {
  const toLaea = converter(4326, 3035);
  const xy = record.stations.map((s) => toLaea.forward([s.lonDeg, s.latDeg]) as [number, number]);
  // The interpolation reaches 40 km from a station: heights a little beyond it.
  const pad = 45_000;
  const grid = gridForExtent({
    xMinM: Math.min(...xy.map((p) => p[0])) - pad, yMinM: Math.min(...xy.map((p) => p[1])) - pad,
    xMaxM: Math.max(...xy.map((p) => p[0])) + pad, yMaxM: Math.max(...xy.map((p) => p[1])) + pad,
  }, ELEVATION_CELL_M);
  const heightM = new Float32Array(grid.width * grid.height);
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const [lon, lat] = toLaea.inverse([grid.xMinM + (col + 0.5) * grid.cellM, grid.yMaxM - (row + 0.5) * grid.cellM]) as [number, number];
      heightM[row * grid.width + col] = terrain.heightSourceM(lon, lat) ?? NaN;
    }
  }
  return { grid, heightM };
}

export async function buildClimate(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const record = await buildClimateRecord(ctx.dataDir);
  await mkdir(path.join(ctx.outDir, 'sensors'), { recursive: true });
  await writeFile(path.join(ctx.outDir, 'sensors', 'climate-record.json'), serialise(record));
  const terrain = ctx.terrain;
  if (!terrain) throw new Error('climate: the terrain model is needed for the heights under the stations');
  const elevation = elevationGrid(record, terrain);
  await writeFile(path.join(ctx.outDir, 'sensors', 'climate-elevation-3035.bin'), encodeElevation(elevation.heightM));
  const covered = elevation.heightM.filter((v) => !Number.isNaN(v)).length / elevation.heightM.length;
  ctx.log(`climate: heights on a ${elevation.grid.width}×${elevation.grid.height} grid of ${elevation.grid.cellM} m, ${(covered * 100).toFixed(1)} % covered`);
  ctx.log(`climate: ${record.stations.length} ČHMÚ stations, ${valueCount(record.monthly.temperature)} temperature and ${valueCount(record.monthly.precipitation)} precipitation station-months, ${valueCount(record.daily.temperature)} days at Plzeň-Mikulka`);
  const lons = record.stations.map((s) => s.lonDeg);
  const lats = record.stations.map((s) => s.latDeg);
  return [
    {
      id: 'climate',
      kind: 'climate',
      url: 'sensors/climate-record.json',
      title: 'Climate record 1961–2019 (ČHMÚ, measured)',
      source: record.source,
      licence: record.licence,
      attribution: record.attribution,
      sourceCrs: 'EPSG:4326',
      sourceVerticalDatum: 'Bpv (station elevations)',
      bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
      featureCount: record.stations.length,
      extras: {
        measured: true, sensorThings: '/sta-climate/v1.1', startMonth: record.startMonth, months: record.months,
        elevation: { url: 'sensors/climate-elevation-3035.bin', grid: elevation.grid, encoding: 'int16le, metres above sea level (SRTM, EGM96), -32768 = no data' },
      },
    },
  ];
}
