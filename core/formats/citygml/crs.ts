/**
 * A GML `srsName` -> the registry's projected CRS and the vertical datum of the heights. The spellings are those
 * `parseCrsName` reads for every imported file (EPSG codes, OGC URNs and URLs, compounds `25832+7837`, the AdV's
 * `urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH`), so a CityGML building and a dropped file agree on what a name means.
 */
import { crsInfo, isKnownEpsg, type Epsg, type VerticalDatum } from '../../geo/crs';
import { VERTICAL, parseCrsName } from '../import/crs-declarations';

export interface GmlCrs {
  /** The srsName as the file writes it. */
  readonly srsName: string;
  readonly epsg: Epsg;
  readonly datum: VerticalDatum;
  /** Where the datum is an approximation (DHHN92 read as DHHN2016, Baltic 1977 as Bpv), what is assumed. */
  readonly note?: string;
}

/**
 * The CRS an srsName names, or null when the twin cannot place it: no EPSG code or AdV name it knows, a geographic
 * CRS (a building's rings are planar metres; degrees would be triangulated as if they were), or a height system
 * it has no conversion for (NAP). Without a declared height system the CRS's usual one is taken: DHHN2016 for the
 * German UTM zones, Bpv for S-JTSK, which is what the surveying offices deliver them with.
 */
export function crsOfSrsName(srsName: string): GmlCrs | null {
  const parsed = parseCrsName(srsName);
  const h = parsed.horizontal;
  if (h === null || !isKnownEpsg(h) || crsInfo(h).geographic) return null;
  if (parsed.vertical === null) return { srsName, epsg: h, datum: crsInfo(h).usualVerticalDatum };
  const v = VERTICAL[parsed.vertical];
  if (!v?.datum) return null;
  return { srsName, epsg: h, datum: v.datum, ...(v.note ? { note: `${v.name} ${v.note}` } : {}) };
}

/** "EPSG:25832 + DHHN2016": how a resolved CRS is named in logs and in a tileset's sourceCrs. */
export const crsLabel = (c: Pick<GmlCrs, 'epsg' | 'datum'>): string => `EPSG:${c.epsg} + ${c.datum}`;
