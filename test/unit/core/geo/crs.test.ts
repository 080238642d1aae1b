/**
 * Control points: WGS84 positions transformed by PROJ itself (cs2cs; provenance in the fixture). Tolerances
 * follow the product's accuracy bar: 5 cm for S-JTSK inside Czechia and DHDN (BETA2007) inside Germany,
 * 1 mm for the ETRS89 projections.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { converter, crsInfo, insideAreaOfUse, isKnownEpsg, registerBeta2007, type Epsg } from '../../../../core/geo/crs';
import { ecefToGeodetic, geodeticToEcef } from '../../../../core/geo/ellipsoid';
import fixture from '../../../fixtures/geodesy/control-points.json';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const gridFile = [path.join(repoRoot, 'tilesets/geodesy/BETA2007.gsb'), path.join(repoRoot, '../shared/data/geodesy/BETA2007.gsb')].find(existsSync);

const IN_CZECHIA = new Set(['Plzeň, Náměstí Republiky', 'Cheb']);
const TOLERANCE_M: Record<string, number> = { 'EPSG:5514': 0.05, 'EPSG:31468': 0.05, 'EPSG:25832': 0.001, 'EPSG:25833': 0.001, 'EPSG:3035': 0.001 };

function applies(crs: string, name: string): boolean {
  if (crs === 'EPSG:5514') return IN_CZECHIA.has(name);
  if (crs === 'EPSG:31468') return !IN_CZECHIA.has(name) && gridFile !== undefined;
  return true;
}

describe('CRS registry against PROJ control points', () => {
  if (gridFile) {
    const b = readFileSync(gridFile);
    registerBeta2007(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
  for (const p of fixture.points) {
    for (const [crs, expected] of Object.entries(p.projected)) {
      const run = applies(crs, p.name) ? it : it.skip;
      run(`${p.name} → ${crs}`, () => {
        const epsg = Number(crs.slice(5)) as Epsg;
        const [e, n] = converter(4326, epsg).forward([p.lonDeg, p.latDeg, p.hEllipsoidalM]);
        expect(Math.hypot(e! - expected.e, n! - expected.n)).toBeLessThan(TOLERANCE_M[crs]!);
        // and back: a round trip within 3 mm
        const [lon, lat] = converter(epsg, 4326).forward([e!, n!, p.hEllipsoidalM]);
        const dEast = (lon! - p.lonDeg) * 111_320 * Math.cos((p.latDeg * Math.PI) / 180);
        const dNorth = (lat! - p.latDeg) * 110_574;
        expect(Math.hypot(dEast, dNorth)).toBeLessThan(0.003);
      });
    }
  }

  it('refuses a DHDN transform without its grid rather than silently using none', async () => {
    vi.resetModules();
    const fresh = await import('../../../../core/geo/crs');
    expect(() => fresh.converter(4326, 31468)).toThrow(/BETA2007/);
  });

  it('knows its codes and areas of use', () => {
    expect(isKnownEpsg(5514)).toBe(true);
    expect(isKnownEpsg(2056)).toBe(false);
    expect(crsInfo(5514).usualVerticalDatum).toBe('Bpv');
    expect(insideAreaOfUse(5514, 13.37, 49.74)).toBe(true);
    expect(insideAreaOfUse(5514, 11.9, 50.3)).toBe(false);
  });
});

describe('ellipsoid', () => {
  it('converts geodetic ↔ ECEF (the WGS84 equator/prime meridian and a round trip)', () => {
    expect(Array.from(geodeticToEcef(Float64Array.of(0, 0, 0)))).toEqual([6378137, 0, 0]);
    const p = Float64Array.of(13.3775, 49.7477, 360);
    const back = ecefToGeodetic(geodeticToEcef(p));
    expect(back[0]).toBeCloseTo(13.3775, 10);
    expect(back[1]).toBeCloseTo(49.7477, 10);
    expect(back[2]).toBeCloseTo(360, 4);
  });
});
