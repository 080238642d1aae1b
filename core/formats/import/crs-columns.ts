/** Coordinate and height column names in a CSV header, and what they say about the CRS. */
import { crsInfo, type Epsg } from '../../geo/crs';

/** What a pair of coordinate column names says about the CRS. */
export type ColumnKind = 'lonlat' | 'gk' | 'krovak' | 'en' | 'xy';

export interface ColumnPair {
  readonly kind: ColumnKind;
  readonly x: string;
  readonly y: string;
}

/** Header text -> comparable token: lower case, no accents, no units in brackets, letters and digits only. */
export function normaliseColumnName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\(.*?\)|\[.*?\]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

const COLUMN_NAMES: ReadonlyArray<{ kind: ColumnKind; x: readonly string[]; y: readonly string[] }> = [
  { kind: 'lonlat', x: ['lon', 'lng', 'long', 'longitude', 'laenge', 'lange', 'delka', 'zemepisnadelka', 'wgs84lon', 'lonwgs84', 'londeg'], y: ['lat', 'latitude', 'breite', 'sirka', 'zemepisnasirka', 'wgs84lat', 'latwgs84', 'latdeg'] },
  { kind: 'gk', x: ['rechts', 'rechtswert', 'rw', 'gkrechts', 'gkrechtswert'], y: ['hoch', 'hochwert', 'hw', 'gkhoch', 'gkhochwert'] },
  { kind: 'krovak', x: ['xjtsk', 'xsjtsk', 'jtskx', 'sjtskx', 'xkrovak'], y: ['yjtsk', 'ysjtsk', 'jtsky', 'sjtsky', 'ykrovak'] },
  { kind: 'en', x: ['easting', 'east', 'e', 'ost', 'ostwert', 'utme', 'eastingm', 'rechtswertutm'], y: ['northing', 'north', 'n', 'nord', 'nordwert', 'utmn', 'northingm', 'hochwertutm'] },
  { kind: 'xy', x: ['x', 'xcoord', 'coordx', 'xcoordinate', 'souradnicex', 'posx'], y: ['y', 'ycoord', 'coordy', 'ycoordinate', 'souradnicey', 'posy'] },
];

const HEIGHT_NAMES: readonly string[] = ['z', 'h', 'height', 'heightm', 'alt', 'altitude', 'elevation', 'elev', 'ele', 'hoehe', 'hohe', 'hoehenn', 'hoehedhhn2016', 'hoehem', 'vyska', 'vyskabpv', 'vyskam', 'nadmorskavyska', 'hbpv', 'hnn', 'hdhhn2016', 'zcoord'];

/** Every pair of coordinate columns the header names, in the order above (most specific first). */
export function coordinateColumnPairs(columns: readonly string[]): ColumnPair[] {
  const norm = columns.map(normaliseColumnName);
  const out: ColumnPair[] = [];
  for (const { kind, x, y } of COLUMN_NAMES) {
    const xi = norm.findIndex((n) => x.includes(n));
    const yi = norm.findIndex((n) => y.includes(n));
    if (xi >= 0 && yi >= 0 && xi !== yi) out.push({ kind, x: columns[xi]!, y: columns[yi]! });
  }
  return out;
}

/** The height column, if the header names one. */
export function heightColumn(columns: readonly string[]): string | null {
  const i = columns.findIndex((c) => HEIGHT_NAMES.includes(normaliseColumnName(c)));
  return i >= 0 ? columns[i]! : null;
}

/** Does a column kind name this CRS's family? ('en' and 'xy' say nothing about which CRS.) */
export function columnsNameCrs(kind: ColumnKind, epsg: Epsg): boolean {
  if (kind === 'lonlat') return crsInfo(epsg).geographic;
  if (kind === 'gk') return epsg === 31468 || epsg === 31469;
  if (kind === 'krovak') return epsg === 5514 || epsg === 5513;
  return false;
}
