/**
 * Streaming CityGML building reader. Text goes in chunk by chunk (`write`), each bldg:Building comes out through
 * `onBuilding` as soon as its end tag is read, its BuildingParts folded in, in the CityBuilding shape the CityJSON
 * reader gives, so everything after the reader is shared. Only the building being read is held: a 2 × 2 km
 * Bavarian tile of a few hundred megabytes, or a district of them, reads in the memory of one building.
 *
 * The XML itself is read by saxes (a maintained streaming parser); this module only follows the CityGML 2.0
 * structure. Elements are matched by local name, so any prefixes work, and CityGML 1.0 (same names) reads too.
 * Pure and DOM-free, for the pipeline and for the page alike.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { allCrs } from '../../geo/crs';
import type { CityBuilding, SurfaceKind, Vec3 } from '../cityjson';
import { assembleBuilding, parsePoints, type BuildingDraft, type DraftPolygon } from './assemble';
import { ADDRESS_PARTS, childRole, formatAddress, mergedAttributes, newObject, setGeneric, type GmlObject } from './attributes';
import { crsOfSrsName, type GmlCrs } from './crs';

export interface CityGmlBuilding extends CityBuilding {
  readonly crs: GmlCrs;
  /** True when the file gives no measuredHeight: attributes.measuredHeight is then max z − min z of the geometry. */
  readonly heightFromGeometry: boolean;
}

export interface CityGmlReport {
  /** Top-level city objects met (Buildings and every other type). */
  cityObjects: number;
  /** Buildings handed out. */
  buildings: number;
  buildingParts: number;
  buildingsWithoutGeometry: number;
  /** Buildings left out for broken geometry, each with a warning. */
  brokenBuildings: number;
  polygons: number;
  degenerateRings: number;
  /** Buildings whose measuredHeight was computed from the geometry. */
  heightsFromGeometry: number;
  /** Top-level city objects that are not Buildings, by element name (Bridge, Road, …). */
  otherObjects: Record<string, number>;
}

/**
 * Why a file could not be read to its end: it ends early, its XML breaks off, or it names a CRS the twin cannot
 * place (which no building of it could then be placed in).
 */
export type CityGmlFailure = 'truncated' | 'malformed' | 'crs';

/** A file the reader has to stop in: `buildingsRead` buildings were handed out before it, and stay good. */
export class CityGmlError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly lastBuildingId: string | null,
    readonly buildingsRead: number,
    readonly reason: CityGmlFailure,
  ) {
    super(message);
    this.name = 'CityGmlError';
  }
}

export interface CityGmlReaderOptions {
  /** The file's name: in every message, and in the ids of buildings without a gml:id. */
  readonly name: string;
  readonly onBuilding: (b: CityGmlBuilding) => void;
  readonly onWarning?: (message: string) => void;
}

/** What wraps the city objects of a file: CityModel's member, and WFS's. */
const MEMBERS = new Set(['cityObjectMember', 'featureMember', 'member']);
/** Parts of a building the tileset does not draw, as the CityJSON path leaves out its installations and rooms. */
const SKIPPED = new Set(['BuildingInstallation', 'IntBuildingInstallation', 'Room', 'BuildingFurniture', 'appearance', 'Appearance']);
/** Elements whose rings make one surface: polygons, and the patches of gml:Surface or gml:TriangulatedSurface. */
const POLYGONS = new Set(['Polygon', 'PolygonPatch', 'Triangle', 'Rectangle']);

const localName = (q: string): string => q.slice(q.indexOf(':') + 1);
const gmlId = (a: Readonly<Record<string, string>>): string | undefined => a['gml:id'] ?? a['id'];
/** The xlink:href of an element, whatever prefix the file binds xlink to. */
function hrefOf(a: Readonly<Record<string, string>>): string | undefined {
  if (a['xlink:href'] !== undefined) return a['xlink:href'];
  for (const k in a) if (k.endsWith(':href')) return a[k];
  return undefined;
}
const semanticKind = (local: string): SurfaceKind => (local === 'RoofSurface' ? 'roof' : local === 'GroundSurface' ? 'ground' : 'wall');

/** The polygon being read, and its ring. */
interface OpenPolygon {
  readonly p: DraftPolygon;
  readonly depth: number;
  /** Its gml:id, for messages. */
  readonly id: string | undefined;
  ring: Vec3[] | null;
  ringDepth: number;
  ringInterior: boolean;
}

/** The building being read, with where each of its open contexts started (element depths). */
interface OpenBuilding {
  readonly draft: BuildingDraft;
  readonly objects: GmlObject[];
  readonly objectStack: { readonly index: number; readonly depth: number }[];
  readonly lodStack: { readonly lod: number; readonly depth: number }[];
  readonly idStack: { readonly id: string; readonly start: number; readonly depth: number }[];
  srsDefault: string | null;
  sem: { readonly kind: SurfaceKind; readonly depth: number } | null;
  poly: OpenPolygon | null;
  generic: { readonly name: string; readonly numeric: boolean; readonly depth: number; readonly object: GmlObject } | null;
  address: { readonly parts: Record<string, string>; readonly depth: number; readonly object: GmlObject } | null;
}

/** An error saxes reported, told apart from a bug in a handler. */
class XmlSyntaxError extends Error {}

export class CityGmlReader {
  readonly report: CityGmlReport = {
    cityObjects: 0, buildings: 0, buildingParts: 0, buildingsWithoutGeometry: 0, brokenBuildings: 0, polygons: 0,
    degenerateRings: 0, heightsFromGeometry: 0, otherObjects: {},
  };
  private readonly parser: SaxesParser;
  /** Local names, srsNames and srsDimensions of the open elements, the innermost last. */
  private readonly names: string[] = [];
  private readonly srs: (string | null)[] = [];
  private readonly dims: number[] = [];
  private fileSrs: string | null = null;
  private skipDepth = -1;
  private b: OpenBuilding | null = null;
  private ordinal = 0;
  private lastId: string | null = null;
  private capture: { readonly depth: number; readonly apply: (text: string) => void } | null = null;
  private text = '';
  private readonly crsCache = new Map<string, GmlCrs | null>();

  constructor(private readonly options: CityGmlReaderOptions) {
    this.parser = new SaxesParser({ fileName: options.name });
    this.parser.on('error', (e) => { throw new XmlSyntaxError(e.message); });
    this.parser.on('opentag', (t) => this.open(t));
    this.parser.on('closetag', () => this.close());
    this.parser.on('text', (t) => { if (this.capture) this.text += t; });
  }

  /** Read the next piece of the document; throws a CityGmlError where it cannot go on. */
  write(chunk: string): void {
    this.guard(() => this.parser.write(chunk), false);
  }

  /** The document has ended: throws a CityGmlError when it ended early. */
  end(): void {
    this.guard(() => this.parser.close(), true);
  }

  private guard(run: () => void, atEnd: boolean): void {
    try {
      run();
    } catch (e) {
      if (!(e instanceof XmlSyntaxError)) throw e;
      const { name } = this.options;
      const open = this.b?.draft.id;
      const where = open !== undefined ? `in building "${open}"` : this.lastId !== null ? `after building "${this.lastId}"` : 'before any building';
      const what = atEnd ? 'ends before its XML does (truncated?)' : 'is not well-formed XML';
      const n = this.report.buildings;
      throw new CityGmlError(`${name} ${what} ${where}; the ${n} buildings read before it are kept (${e.message})`, name, open ?? this.lastId, n, atEnd ? 'truncated' : 'malformed');
    }
  }

  private open(tag: SaxesTagPlain): void {
    const local = localName(tag.name);
    const a = tag.attributes;
    const depth = this.names.length;
    this.names.push(local);
    this.srs.push(a['srsName'] ?? this.srs[depth - 1] ?? null);
    this.dims.push(a['srsDimension'] !== undefined ? Number(a['srsDimension']) : (this.dims[depth - 1] ?? 0));
    if (this.skipDepth >= 0) return;
    if (this.b) this.openInBuilding(this.b, local, a, depth);
    else this.openOutside(local, a, depth);
  }

  private openOutside(local: string, a: Readonly<Record<string, string>>, depth: number): void {
    const parent = this.names[depth - 1];
    // The file's Envelope (CityModel > boundedBy > Envelope) names the CRS of every geometry that names none.
    if (local === 'Envelope' && parent === 'boundedBy' && depth <= 3 && a['srsName']) this.fileSrs ??= a['srsName'];
    if (local === 'Building') {
      this.report.cityObjects++;
      const id = gmlId(a) ?? `${this.options.name}#${this.ordinal}`;
      this.ordinal++;
      this.b = {
        draft: { id, polygons: [], ids: new Map(), refs: [] },
        objects: [newObject()], objectStack: [{ index: 0, depth }], lodStack: [], idStack: [],
        srsDefault: null, sem: null, poly: null, generic: null, address: null,
      };
    } else if (parent !== undefined && MEMBERS.has(parent)) {
      this.report.cityObjects++;
      this.report.otherObjects[local] = (this.report.otherObjects[local] ?? 0) + 1;
      this.skipDepth = depth;
    } else if (SKIPPED.has(local)) {
      this.skipDepth = depth;
    }
  }

  private openInBuilding(b: OpenBuilding, local: string, a: Readonly<Record<string, string>>, depth: number): void {
    const parent = this.names[depth - 1]!;
    if (SKIPPED.has(local)) {
      this.skipDepth = depth;
      return;
    }
    const top = b.objectStack[b.objectStack.length - 1]!;
    if (local === 'BuildingPart') {
      b.objects.push(newObject());
      b.objectStack.push({ index: b.objects.length - 1, depth });
      this.report.buildingParts++;
      return;
    }
    if (depth === top.depth + 1 && this.openChild(b, b.objects[top.index]!, local, a, depth)) return;
    if (b.generic && local === 'value') {
      const g = b.generic;
      this.startCapture(depth, (t) => setGeneric(g.object, g.name, g.numeric, t));
    } else if (b.address && ADDRESS_PARTS.has(local)) {
      const parts = b.address.parts;
      this.startCapture(depth, (t) => { parts[local] ??= t; });
    } else if (local === 'Envelope' && parent === 'boundedBy' && top.index === 0 && a['srsName']) {
      b.srsDefault ??= a['srsName'];
    }
    const lod = /^lod([0-4])[A-Z]/.exec(local);
    if (lod) b.lodStack.push({ lod: Number(lod[1]), depth });
    else if (parent === 'boundedBy' && local.endsWith('Surface')) b.sem = { kind: semanticKind(local), depth };
    if (b.lodStack.length > 0) this.openGeometry(b, local, a, depth, parent);
  }

  /** A property, generic attribute or address directly under the Building or BuildingPart; true when it was one. */
  private openChild(b: OpenBuilding, o: GmlObject, local: string, a: Readonly<Record<string, string>>, depth: number): boolean {
    const role = childRole(o, local, a);
    if (!role) return false;
    if (role.kind === 'property') this.startCapture(depth, role.apply);
    else if (role.kind === 'generic') b.generic = { name: role.name, numeric: role.numeric, depth, object: o };
    else b.address = { parts: {}, depth, object: o };
    return true;
  }

  /** Inside an lodN property: polygons, their rings and coordinates, the gml:ids that name them, references. */
  private openGeometry(b: OpenBuilding, local: string, a: Readonly<Record<string, string>>, depth: number, parent: string): void {
    const id = gmlId(a);
    if (id !== undefined) b.idStack.push({ id, start: b.draft.polygons.length, depth });
    const poly = b.poly;
    if (POLYGONS.has(local) && !poly) {
      const owner = b.objectStack[b.objectStack.length - 1]!.index;
      const srsName = this.srs[depth] ?? b.srsDefault ?? this.fileSrs ?? '';
      const p: DraftPolygon = { rings: [], lod: b.lodStack[b.lodStack.length - 1]!.lod, kind: b.sem?.kind ?? null, owner, srsName, problem: null };
      b.poly = { p, depth, id, ring: null, ringDepth: -1, ringInterior: false };
    } else if (poly && local === 'LinearRing') {
      poly.ring = [];
      poly.ringDepth = depth;
      poly.ringInterior = parent === 'interior' || parent === 'innerBoundaryIs';
    } else if (poly?.ring && (local === 'posList' || local === 'pos' || local === 'coordinates')) {
      const ring = poly.ring;
      // srsDimension on the list or any element around it; GML's default for LoD2 is 3.
      const dim = this.dims[depth] || 3;
      this.startCapture(depth, (t) => {
        const problem = parsePoints(t, dim, ring);
        if (problem && !poly.p.problem) poly.p.problem = `${poly.id !== undefined ? `polygon "${poly.id}"` : 'a polygon'} has ${problem}`;
      });
    } else if (!poly) {
      const href = hrefOf(a);
      if (href !== undefined) {
        const owner = b.objectStack[b.objectStack.length - 1]!.index;
        b.draft.refs.push({ target: href.startsWith('#') ? href.slice(1) : href, lod: b.lodStack[b.lodStack.length - 1]!.lod, owner });
      }
    }
  }

  private startCapture(depth: number, apply: (text: string) => void): void {
    this.capture = { depth, apply };
    this.text = '';
  }

  private close(): void {
    const depth = this.names.length - 1;
    this.names.pop();
    this.srs.pop();
    this.dims.pop();
    if (this.skipDepth >= 0) {
      if (depth === this.skipDepth) this.skipDepth = -1;
      return;
    }
    if (this.capture?.depth === depth) {
      const { apply } = this.capture;
      this.capture = null;
      apply(this.text);
      this.text = '';
    }
    const b = this.b;
    if (b) this.closeInBuilding(b, depth);
  }

  private closeInBuilding(b: OpenBuilding, depth: number): void {
    const poly = b.poly;
    if (poly?.ringDepth === depth && poly.ring) {
      // The exterior ring goes first whatever order the file writes them in.
      if (poly.ringInterior || poly.p.rings.length === 0) poly.p.rings.push(poly.ring);
      else poly.p.rings.unshift(poly.ring);
      poly.ring = null;
    } else if (poly?.depth === depth) {
      if (poly.p.rings.length === 0 && !poly.p.problem) poly.p.problem = 'a polygon without rings';
      b.draft.polygons.push(poly.p);
      b.poly = null;
    }
    const ids = b.idStack;
    if (ids.length > 0 && ids[ids.length - 1]!.depth === depth) {
      const e = ids.pop()!;
      b.draft.ids.set(e.id, [e.start, b.draft.polygons.length]);
    }
    if (b.lodStack.length > 0 && b.lodStack[b.lodStack.length - 1]!.depth === depth) b.lodStack.pop();
    if (b.sem?.depth === depth) b.sem = null;
    if (b.generic?.depth === depth) b.generic = null;
    if (b.address?.depth === depth) {
      const line = formatAddress(b.address.parts);
      if (line) b.address.object.addresses.push(line);
      b.address = null;
    }
    if (b.objectStack[b.objectStack.length - 1]!.depth === depth) {
      if (b.objectStack.length === 1) this.finishBuilding(b);
      else b.objectStack.pop();
    }
  }

  private finishBuilding(b: OpenBuilding): void {
    this.b = null;
    const { id } = b.draft;
    this.lastId = id;
    const asm = assembleBuilding(b.draft);
    if (!asm.ok) {
      if (asm.reason === null) this.report.buildingsWithoutGeometry++;
      else {
        this.report.brokenBuildings++;
        this.options.onWarning?.(`${this.options.name}: building "${id}" left out, its geometry is broken: ${asm.reason}`);
      }
      return;
    }
    const crs = this.crsOf(asm.srsName, id);
    const attributes = mergedAttributes(b.objects);
    const given = attributes['measuredHeight'];
    const heightFromGeometry = typeof given !== 'number';
    // LoD2 without a measured height still has one: the geometry's, to the millimetre it is surveyed to.
    if (heightFromGeometry) attributes['measuredHeight'] = Math.round((asm.maxZ - asm.minZ) * 1000) / 1000;
    this.report.buildings++;
    this.report.polygons += asm.surfaces.length;
    this.report.degenerateRings += asm.degenerateRings;
    if (heightFromGeometry) this.report.heightsFromGeometry++;
    this.options.onBuilding({
      id,
      type: 'Building',
      surfaces: asm.surfaces,
      attributes,
      name: b.objects.find((o) => o.name)?.name ?? '',
      address: [...new Set(b.objects.flatMap((o) => o.addresses))].join('; '),
      partCount: b.objects.length - 1,
      crs,
      heightFromGeometry,
    });
  }

  /** The CRS of an srsName; an unknown one stops the file, since none of its buildings could be placed. */
  private crsOf(srsName: string, id: string): GmlCrs {
    let crs = this.crsCache.get(srsName);
    if (crs === undefined) {
      crs = srsName ? crsOfSrsName(srsName) : null;
      this.crsCache.set(srsName, crs);
    }
    if (crs) return crs;
    const { name } = this.options;
    const n = this.report.buildings;
    if (!srsName) throw new CityGmlError(`${name}: no srsName, neither on the file's gml:Envelope nor on the geometry of building "${id}"`, name, id, n, 'crs');
    const known = allCrs().filter((c) => !c.geographic).map((c) => `EPSG:${c.epsg}`).join(', ');
    throw new CityGmlError(`${name}: srsName "${srsName}" (building "${id}") is not a projected CRS with heights the twin can place; it knows ${known}`, name, id, n, 'crs');
  }
}
