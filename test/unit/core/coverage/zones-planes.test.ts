import { describe, expect, it } from 'vitest';
import { decodeZones, encodeZones, parseZonesFile } from '../../../../core/coverage/dataset';
import { zonalStats } from '../../../../core/coverage/stats';

const grid = { crs: 'EPSG:3035', xMinM: 4_400_000, yMaxM: 3_000_000, cellM: 200, width: 3, height: 2 };
const unit = (index: number) => ({ index, code: `X-${index}`, name: `Unit ${index}`, country: 'CZ', bbox: [12, 49, 13, 50], gridBbox: null, cells: 1 });
const file = (planes: Array<{ id: string; bytesPerCell?: 1 | 2; units: number }>) =>
  parseZonesFile({
    about: 't', grid, file: 'zones-3035.bin',
    planes: planes.map((p) => ({ id: p.id, title: p.id, source: 's', licence: 'l', ...(p.bytesPerCell ? { bytesPerCell: p.bytesPerCell } : {}), units: Array.from({ length: p.units }, (_, i) => unit(i + 1)) })),
  });

describe('zone planes of one and two bytes a cell', () => {
  it('round-trips a Uint8 and a little-endian Uint16 plane (unit numbers above 255)', () => {
    const zones = file([{ id: 'side', units: 2 }, { id: 'municipality', bytesPerCell: 2, units: 2780 }]);
    expect(zones.planes.map((p) => p.bytesPerCell)).toEqual([1, 2]);
    const side = Uint8Array.of(1, 1, 2, 2, 0, 1);
    const towns = Uint16Array.of(1, 256, 2780, 300, 0, 65535 - 65535 + 7);
    const bytes = encodeZones([side, towns]);
    expect(bytes.byteLength).toBe(6 + 12);
    // Little-endian on disk whatever the machine: 256 = 00 01.
    expect([bytes[6 + 2], bytes[6 + 3]]).toEqual([0, 1]);
    const back = decodeZones(bytes, zones);
    expect(back.get('side')).toEqual(side);
    expect(back.get('municipality')).toEqual(towns);
    expect(() => decodeZones(bytes.subarray(0, 17), zones)).toThrow(/expected 18/);
  });

  it('refuses more units than a Uint8 plane can index', () => {
    expect(() => file([{ id: 'admin1', units: 256 }])).toThrow(/more units than the plane can index/);
  });

  it('computes statistics on a Uint16 plane, zone numbers above 255 included', () => {
    const zones = Uint16Array.of(300, 300, 1, 0);
    const a = Float32Array.of(-80, -120, -90, -70);
    const b = Float32Array.of(-100, -100, Number.NaN, -70);
    const rows = zonalStats({ a, b, zones, zoneCount: 300, thresholds: { coveredDbm: -110, goodDbm: -95 }, cellAreaM2: 40_000 });
    expect(rows).toHaveLength(300);
    expect(rows[299]).toMatchObject({ zone: 300, cells: 2, coveredPctA: 50, coveredPctB: 100, meanDbmA: -100, meanDbmB: -100 });
    expect(rows[0]).toMatchObject({ zone: 1, cells: 1, coveredPctA: 100 });
    expect(() => zonalStats({ a, b, zones: Uint8Array.of(1, 1, 1, 0), zoneCount: 300, thresholds: { coveredDbm: -110, goodDbm: -95 }, cellAreaM2: 1 })).toThrow(/0\.\.255/);
  });
});
