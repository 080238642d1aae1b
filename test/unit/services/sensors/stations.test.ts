/** The pipeline's station list: which stations are placed, with which ids, heights and properties. */
import type { FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildStationsFile, stationsBbox, type ChmiProps, type DwdProps } from '../../../../pipeline/sensors/stations';

const chmi: FeatureCollection<Point, ChmiProps> = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [13.6148011, 49.068436] }, properties: { network: 'CHMI', region: 'Jihočeský', code: 'CCHUA', name: 'Churáňov' } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [13.402281, 49.732449] }, properties: { network: 'CHMI', region: 'Plzeňský', code: 'PPLAA', name: 'Plzeň-Slovany' } },
  ],
};
const dwd: FeatureCollection<Point, DwdProps> = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [13.1338, 49.1129] }, properties: { id: '01832', name: 'Großer Arber', state: 'Bayern', height_m: 1436, hourly: { air_temperature: ['19821101', '20250505'] } } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [12.4639, 48.945] }, properties: { id: '00046', name: 'Aholfing', state: 'Bayern', height_m: 325, hourly: { precipitation: ['20060101', '20250506'] } } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [12.1, 49.1] }, properties: { id: '09999', name: 'Closed', state: 'Bayern', height_m: 400, hourly: { air_temperature: ['19500101', '20101231'] } } },
  ],
};

const heightAt = (lon: number, lat: number): number | null => (lon > 13.3 && lon < 13.5 && lat > 49.6 && lat < 49.8 ? 338.94 : null);

describe('buildStationsFile', () => {
  const f = buildStationsFile(chmi, dwd, { DEBY063: 'Regensburg/Rathaus' }, heightAt);

  it('places CHMI stations and DWD stations still reporting temperature, sorted by id', () => {
    expect(f.stations.map((s) => s.id)).toEqual(['CHMI-CCHUA', 'CHMI-PPLAA', 'DWD-01832']);
    expect(f.stations.map((s) => s.country)).toEqual(['CZ', 'CZ', 'DE']);
    expect(f.stations[0]!.properties).toEqual(['PM10', 'NO2', 'temperature']);
    expect(f.stations[2]!.properties).toEqual(['temperature']);
  });

  it('takes DWD heights as given, CHMI heights from the terrain, else null', () => {
    expect(f.stations.map((s) => s.heightM)).toEqual([null, 338.9, 1436]);
    expect(buildStationsFile(chmi, dwd, {}, undefined).stations[1]!.heightM).toBeNull();
    expect(f.stations[0]!.lonDeg).toBe(13.614801);
  });

  it('lists the LfU codes without coordinates as skipped, and says the values are simulated', () => {
    expect(f.skipped).toEqual([{ network: 'LfU Bayern', code: 'DEBY063', name: 'Regensburg/Rathaus', reason: 'no coordinates in the source' }]);
    expect(f.attribution.join(' ')).toMatch(/Deutscher Wetterdienst/);
    expect(f.attribution.join(' ')).toMatch(/SIMULATED/);
    expect(f.observedProperties.temperature.unit.symbol).toBe('°C');
    expect(stationsBbox(f.stations)).toEqual([13.1338, 49.068436, 13.614801, 49.732449]);
  });
});
