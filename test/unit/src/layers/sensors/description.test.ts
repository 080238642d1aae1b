import { describe, expect, it } from 'vitest';
import { hourly, sensorSource, styleOf, windowEndingAt } from '../../../../../src/layers/sensors/description';

const H = 3600_000;

describe('sensor layer description', () => {
  it('shows the hour ending at the scene time, as hourly values are stamped', () => {
    const t = Date.UTC(2025, 0, 1, 14);
    const w = windowEndingAt(t, H);
    expect(w.t1Ms - w.t0Ms).toBe(H);
    // 14:00 is in (13:00, 14:00]; 13:00 is not.
    expect(t >= w.t0Ms && t < w.t1Ms).toBe(true);
    expect(t - H >= w.t0Ms).toBe(false);
  });

  it('bins a series per step with NaN for the gaps', () => {
    const t0 = Date.UTC(2025, 0, 1);
    const r = hourly(new Float64Array([t0, t0 + 10, t0 + 2 * H, t0 + 5 * H]), new Float32Array([1, 3, 5, 7]), t0, t0 + 4 * H, H);
    expect(Array.from(r.tMs)).toEqual([0, 1, 2, 3].map((k) => t0 + k * H));
    expect(Array.from(r.value).map((v) => (Number.isNaN(v) ? null : v))).toEqual([2, null, 5, null]);
  });

  it('knows quantities by their SensorThings definition first, then by name', () => {
    expect(styleOf('Feinstaub', 'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5')?.key).toBe('PM10');
    expect(styleOf('NO2', '')?.key).toBe('NO2');
    expect(styleOf('Air temperature', 'http://vocab.nerc.ac.uk/standard_name/air_temperature/')?.key).toBe('temperature');
    expect(styleOf('Noise level', 'urn:x')).toBeNull();
  });

  it('finds the service beside the page unless the build names another; ws follows http', () => {
    expect(sensorSource('http://127.0.0.1:4173/index.html', {})).toEqual({ staUrl: 'http://127.0.0.1:4173/sta/v1.1', mqttUrl: 'ws://127.0.0.1:4173/sta/mqtt' });
    expect(sensorSource('https://twin.example/app/', {})).toEqual({ staUrl: 'https://twin.example/app/sta/v1.1', mqttUrl: 'wss://twin.example/app/sta/mqtt' });
    expect(sensorSource('https://twin.example/', { staUrl: 'https://frost.example/v1.1', mqttUrl: 'none' })).toEqual({ staUrl: 'https://frost.example/v1.1', mqttUrl: null });
  });
});
