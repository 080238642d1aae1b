/**
 * Sensors: the air-quality (CHMI) and weather (DWD) stations of the region as one small JSON, the station list the
 * local SensorThings service (`npm run sensors`) serves simulated observations for.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureCollection, Point } from 'geojson';
import type { ManifestEntry, PipelineContext } from '../context';
import { buildStationsFile, stationsBbox, type ChmiProps, type DwdProps } from './stations';

export async function buildSensors(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const dir = path.join(ctx.dataDir, 'sensors');
  const chmi = JSON.parse(await readFile(path.join(dir, 'air_quality/chmi_stations_region_2017.geojson'), 'utf8')) as FeatureCollection<Point, ChmiProps>;
  const dwd = JSON.parse(await readFile(path.join(dir, 'weather_stations/dwd_hourly_stations_aoi.geojson'), 'utf8')) as FeatureCollection<Point, DwdProps>;
  const lfu = JSON.parse(await readFile(path.join(dir, 'air_quality/lfu_bavaria_station_codes.json'), 'utf8')) as { stations: Record<string, string> };
  const terrain = ctx.terrain;
  const file = buildStationsFile(chmi, dwd, lfu.stations, terrain ? (lon, lat) => terrain.heightSourceM(lon, lat) : undefined);
  await mkdir(path.join(ctx.outDir, 'sensors'), { recursive: true });
  await writeFile(path.join(ctx.outDir, 'sensors', 'stations.json'), `${JSON.stringify(file, null, 1)}\n`);
  const datastreams = file.stations.reduce((n, s) => n + s.properties.length, 0);
  const byNetwork = (net: string): number => file.stations.filter((s) => s.network === net).length;
  const withHeight = file.stations.filter((s) => s.network === 'CHMI' && s.heightM !== null).length;
  ctx.log(`sensors: ${byNetwork('CHMI')} CHMI (${withHeight} with a terrain height) + ${byNetwork('DWD')} DWD stations, ${datastreams} datastreams; ${file.skipped.length} LfU codes skipped (no coordinates)`);
  return [
    {
      id: 'sensors',
      kind: 'sensors',
      url: 'sensors/stations.json',
      title: 'Air-quality and weather stations (real positions; values SIMULATED)',
      source: 'ČHMÚ AQ-index feed station list (2017 snapshot); DWD Climate Data Center hourly station list',
      licence: 'facts (CHMI station list); CC BY 4.0 (DWD)',
      attribution: 'Stations: ČHMÚ; Datenbasis: Deutscher Wetterdienst (CC BY 4.0). Measured values are simulated.',
      sourceCrs: 'EPSG:4326',
      sourceVerticalDatum: 'EGM96 (CHMI), DHHN (DWD)',
      bbox: stationsBbox(file.stations),
      featureCount: file.stations.length,
      extras: {
        simulated: true,
        datastreams,
        sensorThings: '/sta/v1.1',
        mqtt: '/sta/mqtt',
        skipped: file.skipped.map((s) => s.code),
      },
    },
  ];
}
