/**
 * Where a CRS places points accurately, and that the import dialog and the import's later notice say the same.
 * Reference values beyond the UTM zones: PROJ 9.1.1 (`cs2cs +proj=longlat +ellps=GRS80 +to +proj=utm +zone=…`,
 * its default Poder/Engsager transverse Mercator).
 */
import { describe, expect, it } from 'vitest';
import { accurateArea, converter, countOutsideAccurateArea, insideAreaOfUse, type Epsg } from '../../../../core/geo/crs';
import { REGION_RANGES, detectCrs } from '../../../../core/formats/import/detect-crs';

const PROJ_BEYOND_ZONE: ReadonlyArray<{ epsg: Epsg; lonDeg: number; latDeg: number; e: number; n: number }> = [
  { epsg: 25832, lonDeg: 12.06, latDeg: 49.02, e: 723711.7058, n: 5434191.017 }, // Regensburg
  { epsg: 25832, lonDeg: 13.8, latDeg: 48.6, e: 853835.086, n: 5394121.1942 }, // Bavaria's eastern edge
  { epsg: 25832, lonDeg: 16.0, latDeg: 51.0, e: 990931.516, n: 5673183.2243 }, // the end of the margin
  { epsg: 25833, lonDeg: 8.5, latDeg: 49.0, e: 24716.3464, n: 5447843.3318 },
];

describe('transverse Mercator beyond its zone', () => {
  for (const p of PROJ_BEYOND_ZONE) {
    it(`EPSG:${p.epsg} at ${p.lonDeg}° E is PROJ's to 1 mm, so no warning there`, () => {
      const [e, n] = converter(4326, p.epsg).forward([p.lonDeg, p.latDeg]);
      expect(Math.hypot(e! - p.e, n! - p.n)).toBeLessThan(0.001);
      expect(insideAreaOfUse(p.epsg, p.lonDeg, p.latDeg)).toBe(true);
    });
  }

  it('a Regensburg file in UTM 32N (12.02–12.10° E) is inside; far beyond the margin it is not', () => {
    for (const lon of [12.02, 12.06, 12.1]) expect(insideAreaOfUse(25832, lon, 49.0)).toBe(true);
    expect(insideAreaOfUse(25832, 17.0, 49.0)).toBe(false);
    expect(insideAreaOfUse(25833, 6.0, 50.0)).toBe(false);
  });

  it('keeps the warning where accuracy really degrades: Křovák outside Czechia, DHDN beyond its grid', () => {
    expect(accurateArea(5514)).toEqual([12.09, 47.73, 22.56, 51.06]);
    expect(insideAreaOfUse(5514, 11.5, 49.0)).toBe(false);
    expect(insideAreaOfUse(31469, 16.0, 49.5)).toBe(false); // east of the BETA2007 grid
    expect(insideAreaOfUse(31468, 9.0, 49.5)).toBe(true); // GK zone 4 used west of its zone, inside Germany's grid
  });
});

const corners = (r: (typeof REGION_RANGES)[number]): number[][] => r.first.flatMap((a) => r.second.map((b) => [a, b]));

describe('the import dialog and the later notice agree', () => {
  for (const epsg of [25832, 25833, 32633] as const) {
    it(`every coordinate the dialog's ranges call a fit for EPSG:${epsg} is inside its accurate area`, () => {
      const rule = REGION_RANGES.find((r) => r.epsg === epsg)!;
      const sample = Float64Array.from(corners(rule).flat());
      expect(countOutsideAccurateArea(epsg, sample, false)).toBe(0);
    });
  }

  it('a clean UTM 32N file near Regensburg is a plain fit; Křovák coordinates in Bavaria are flagged up front', () => {
    const toUtm = converter(4326, 25832);
    const regensburg = Float64Array.from([12.02, 12.06, 12.1].flatMap((lon) => toUtm.forward([lon, 49.02])));
    const utm = detectCrs({ readings: [{ sample: regensburg }], declared: { text: 'EPSG:25832', where: 'the GeoJSON crs member' } });
    expect(utm.candidates[0]!.reason).toMatch(/all 3 sampled coordinates fit/);
    expect(utm.candidates[0]!.reason).not.toMatch(/outside/);

    const toKrovak = converter(4326, 5514);
    const bavaria = Float64Array.from([11.6, 11.7, 13.0].flatMap((lon) => toKrovak.forward([lon, 49.5])));
    const krovak = detectCrs({ readings: [{ sample: bavaria }], declared: { text: 'EPSG:5514', where: 'the GeoJSON crs member' } });
    expect(krovak.candidates[0]!.reason).toMatch(/2 of them outside the area where EPSG:5514 is accurate/);
  });
});
