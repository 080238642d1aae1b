/** GML srsNames as Bavarian, Czech and generic CityGML writes them -> the registry's CRS and the height datum. */
import { describe, expect, it } from 'vitest';
import { crsLabel, crsOfSrsName } from '../../../../../core/formats/citygml/crs';

describe('crsOfSrsName', () => {
  it.each([
    ['EPSG:25832', 25832, 'DHHN2016'],
    ['urn:ogc:def:crs:EPSG::25833', 25833, 'DHHN2016'],
    ['http://www.opengis.net/def/crs/EPSG/0/25832', 25832, 'DHHN2016'],
    ['EPSG:25832+7837', 25832, 'DHHN2016'],
    ['urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::7837', 25832, 'DHHN2016'],
    ['EPSG:5555', 25832, 'DHHN2016'],
    ['urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH', 25832, 'DHHN2016'],
    ['urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH*GCG2016', 25832, 'DHHN2016'],
    ['urn:adv:crs:ETRS89_UTM33*DE_DHHN92_NH', 25833, 'DHHN2016'],
    ['urn:adv:crs:ETRS89_UTM32', 25832, 'DHHN2016'],
    ['EPSG:5514', 5514, 'Bpv'],
    ['urn:ogc:def:crs:EPSG::5514', 5514, 'Bpv'],
    ['EPSG:5514+5705', 5514, 'Bpv'],
    ['EPSG:5514+8357', 5514, 'Bpv'],
  ])('%s -> EPSG:%i + %s', (srsName, epsg, datum) => {
    expect(crsOfSrsName(srsName)).toMatchObject({ srsName, epsg, datum });
  });

  it('says what it assumes where a height system is taken as another', () => {
    expect(crsOfSrsName('EPSG:5514+5705')!.note).toMatch(/Baltic 1977 height taken as Bpv/);
    expect(crsOfSrsName('urn:adv:crs:ETRS89_UTM33*DE_DHHN92_NH')!.note).toMatch(/DHHN92 height taken as DHHN2016/);
    expect(crsOfSrsName('EPSG:25832+7837')!.note).toBeUndefined();
  });

  it.each([
    ['urn:ogc:def:crs:EPSG::2056', 'a CRS outside the registry'],
    ['EPSG:4326', 'geographic: rings in degrees'],
    ['urn:adv:crs:ETRS89_Lat-Lon*DE_DHHN2016_NH', 'geographic, AdV spelling'],
    ['urn:adv:crs:DE_DHDN_3GK3', 'an AdV CRS the registry lacks'],
    ['EPSG:25832+5709', 'a height system without a conversion (NAP)'],
    ['local', 'no code at all'],
  ])('%s -> null (%s)', (srsName) => {
    expect(crsOfSrsName(srsName)).toBeNull();
  });

  it('labels a CRS for logs', () => {
    expect(crsLabel(crsOfSrsName('EPSG:5514')!)).toBe('EPSG:5514 + Bpv');
  });
});
