/**
 * The sensor station list (tilesets/sensors/stations.json): real station codes, names and positions of the CHMI
 * air-quality network and the DWD hourly weather network in the region, with the properties each one reports.
 * Only the stations are real; every value the local sensor service (services/sensors) serves for them is simulated.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';

export type ObservedPropertyKey = 'PM10' | 'NO2' | 'temperature';

export interface UnitOfMeasurement {
  name: string;
  symbol: string;
  /** A resolvable URI (QUDT). */
  definition: string;
}

export interface ObservedPropertyDef {
  name: string;
  /** A resolvable URI naming the phenomenon (EEA pollutant vocabulary, CF standard names). */
  definition: string;
  description: string;
  unit: UnitOfMeasurement;
}

export interface SensorStation {
  /** Network and station code, e.g. "CHMI-PPLAA", "DWD-00073". */
  id: string;
  network: 'CHMI' | 'DWD';
  /** The network's own station code. */
  code: string;
  name: string;
  /** CHMI kraj or German state, as the source names it. */
  region: string;
  lonDeg: number;
  latDeg: number;
  /** Height above sea level: DWD's station height; for CHMI the terrain model's source height (EGM96), or null where no DEM covers the station. */
  heightM: number | null;
  country: 'CZ' | 'DE';
  properties: ObservedPropertyKey[];
}

export interface SkippedStation {
  network: string;
  code: string;
  name: string;
  reason: string;
}

export interface StationsFile {
  version: 1;
  note: string;
  attribution: string[];
  observedProperties: Record<ObservedPropertyKey, ObservedPropertyDef>;
  stations: SensorStation[];
  skipped: SkippedStation[];
}

const MICROGRAM_PER_M3: UnitOfMeasurement = { name: 'microgram per cubic metre', symbol: 'µg/m³', definition: 'http://qudt.org/vocab/unit/MicroGM-PER-M3' };

export const OBSERVED_PROPERTIES: Record<ObservedPropertyKey, ObservedPropertyDef> = {
  PM10: {
    name: 'PM10',
    definition: 'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5',
    description: 'Mass concentration of particulate matter with aerodynamic diameter up to 10 µm, 1-hour mean',
    unit: MICROGRAM_PER_M3,
  },
  NO2: {
    name: 'NO2',
    definition: 'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8',
    description: 'Mass concentration of nitrogen dioxide, 1-hour mean',
    unit: MICROGRAM_PER_M3,
  },
  temperature: {
    name: 'Air temperature',
    definition: 'http://vocab.nerc.ac.uk/standard_name/air_temperature/',
    description: 'Air temperature 2 m above ground',
    unit: { name: 'degree Celsius', symbol: '°C', definition: 'http://qudt.org/vocab/unit/DEG_C' },
  },
};

export const ATTRIBUTION = [
  'Air-quality stations: Český hydrometeorologický ústav (ČHMÚ), station codes and positions from the public AQ-index feed (2017 snapshot)',
  'Weather stations: Datenbasis: Deutscher Wetterdienst, station list of the DWD Climate Data Center, CC BY 4.0',
  'All measured values served for these stations are SIMULATED',
];

export interface ChmiProps { network: string; region: string; code: string; name: string }
export interface DwdProps { id: string; name: string; state: string; height_m: number; hourly: Record<string, [string, string]> }

/** The ground height the pipeline knows at a point (EGM96, metres), or null. */
export type HeightAt = (lonDeg: number, latDeg: number) => number | null;

/** 6 decimals ≈ 0.1 m, as in the sources. */
const r6 = (n: number): number => Math.round(n * 1e6) / 1e6;
const r1 = (n: number): number => Math.round(n * 10) / 10;

/** DWD stations whose hourly air-temperature record runs up to this year still report temperature. */
export const DWD_CURRENT_YEAR = '2025';

export function buildStationsFile(
  chmi: FeatureCollection<Point, ChmiProps>,
  dwd: FeatureCollection<Point, DwdProps>,
  lfuCodes: Record<string, string>,
  heightAt: HeightAt | undefined,
): StationsFile {
  const stations: SensorStation[] = [];
  for (const f of chmi.features) {
    const p = f.properties;
    const [lon, lat] = lonLat(f);
    const h = heightAt?.(lon, lat) ?? null;
    stations.push({
      id: `CHMI-${p.code}`, network: 'CHMI', code: p.code, name: p.name, region: p.region,
      lonDeg: lon, latDeg: lat, heightM: h === null ? null : r1(h), country: 'CZ',
      properties: ['PM10', 'NO2', 'temperature'],
    });
  }
  for (const f of dwd.features) {
    const p = f.properties;
    const period = p.hourly['air_temperature'];
    if (!period || !period[1].startsWith(DWD_CURRENT_YEAR)) continue;
    const [lon, lat] = lonLat(f);
    stations.push({
      id: `DWD-${p.id}`, network: 'DWD', code: p.id, name: p.name, region: p.state,
      lonDeg: lon, latDeg: lat, heightM: p.height_m, country: 'DE',
      properties: ['temperature'],
    });
  }
  const ids = new Set<string>();
  for (const s of stations) {
    if (ids.has(s.id)) throw new Error(`duplicate sensor station ${s.id}`);
    ids.add(s.id);
  }
  stations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const skipped: SkippedStation[] = Object.entries(lfuCodes)
    .toSorted(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, name]) => ({ network: 'LfU Bayern', code, name, reason: 'no coordinates in the source' }));
  return {
    version: 1,
    note: 'Station codes, names and positions are real; every observation the sensor service serves for them is simulated.',
    attribution: ATTRIBUTION,
    observedProperties: OBSERVED_PROPERTIES,
    stations,
    skipped,
  };
}

function lonLat(f: Feature<Point>): [number, number] {
  const [lon, lat] = f.geometry.coordinates;
  if (typeof lon !== 'number' || typeof lat !== 'number') throw new Error('station without coordinates');
  return [r6(lon), r6(lat)];
}

export function stationsBbox(stations: readonly SensorStation[]): [number, number, number, number] {
  let w = 180, s = 90, e = -180, n = -90;
  for (const st of stations) {
    w = Math.min(w, st.lonDeg); e = Math.max(e, st.lonDeg); s = Math.min(s, st.latDeg); n = Math.max(n, st.latDeg);
  }
  return [w, s, e, n];
}
