/**
 * The thematic side of a CityGML Building or BuildingPart: its bldg:* properties, generic attributes and
 * addresses, kept under the names the CityJSON reader gives them (`measuredHeight`, `roofType`, `function`,
 * `storeysAboveGround`, a generic attribute under its own name), so the pipeline reads both formats alike.
 */

/** What one Building or BuildingPart says about itself. */
export interface GmlObject {
  readonly attributes: Record<string, unknown>;
  name: string;
  readonly addresses: string[];
}

export const newObject = (): GmlObject => ({ attributes: {}, name: '', addresses: [] });

/** bldg:* properties whose value is a number in the schema (a measure or an integer). */
const NUMBER_PROPERTIES = new Set(['measuredHeight', 'storeysAboveGround', 'storeysBelowGround', 'yearOfConstruction', 'yearOfDemolition']);
/** bldg:* properties that are codes: kept as written ("3100", "31001_1000"), the labels come from adv-codes. */
const CODE_PROPERTIES = new Set(['roofType', 'function', 'usage', 'class']);
/** Generic attributes by element, and whether their value is a number. */
const GENERIC: Readonly<Record<string, boolean>> = {
  stringAttribute: false, doubleAttribute: true, intAttribute: true, measureAttribute: true, dateAttribute: false, uriAttribute: false,
};
/** The xAL elements an address line is made of. */
export const ADDRESS_PARTS = new Set(['ThoroughfareName', 'ThoroughfareNumber', 'PostalCodeNumber', 'LocalityName']);

const toNumber = (text: string): number | null => {
  const t = text.trim();
  const n = t === '' ? Number.NaN : Number(t);
  return Number.isFinite(n) ? n : null;
};

/** Sets a value once: a repeated property (several bldg:function) keeps its first, as the CityJSON conversion does. */
function setOnce(o: GmlObject, key: string, value: unknown): void {
  if (!(key in o.attributes)) o.attributes[key] = value;
}

/** How a direct child element of a Building or BuildingPart is read: as a property, a generic attribute or not at all. */
export type ChildRole =
  | { readonly kind: 'property'; readonly apply: (text: string) => void }
  | { readonly kind: 'generic'; readonly name: string; readonly numeric: boolean }
  | { readonly kind: 'address' }
  | null;

export function childRole(o: GmlObject, local: string, attrs: Readonly<Record<string, string>>): ChildRole {
  if (NUMBER_PROPERTIES.has(local)) {
    return { kind: 'property', apply: (t) => { const n = toNumber(t); if (n !== null) setOnce(o, local, n); } };
  }
  if (CODE_PROPERTIES.has(local)) return { kind: 'property', apply: (t) => { if (t.trim()) setOnce(o, local, t.trim()); } };
  if (local === 'name') return { kind: 'property', apply: (t) => { o.name ||= t.trim(); } };
  if (local in GENERIC && attrs['name']) return { kind: 'generic', name: attrs['name'], numeric: GENERIC[local]! };
  if (local === 'address') return { kind: 'address' };
  return null;
}

/** A generic attribute's gen:value: a number for double/int/measure attributes (kept as text when it is not one). */
export function setGeneric(o: GmlObject, name: string, numeric: boolean, text: string): void {
  const n = numeric ? toNumber(text) : null;
  setOnce(o, name, n ?? text.trim());
}

/** xAL parts -> "Street 12, 93047 Town", the form the CityJSON reader writes; '' when there is nothing to say. */
export function formatAddress(parts: Readonly<Record<string, string>>): string {
  const s = (k: string): string => (parts[k] ?? '').trim();
  const street = [s('ThoroughfareName'), s('ThoroughfareNumber')].filter(Boolean).join(' ');
  const town = [s('PostalCodeNumber'), s('LocalityName')].filter(Boolean).join(' ');
  return [street, town].filter(Boolean).join(', ');
}

/** The Building's attributes with those of its parts filling gaps (a part's height where the building has none). */
export function mergedAttributes(objects: readonly GmlObject[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of objects) for (const [k, v] of Object.entries(o.attributes)) if (!(k in out)) out[k] = v;
  return out;
}
