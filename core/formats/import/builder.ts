/**
 * Assembles an `ImportLayer` (layout in types.ts) feature by feature: every vertex goes source CRS -> WGS84
 * lon/lat -> ellipsoidal height as it is added, a feature with any vertex that cannot be placed is skipped with one
 * problem, and the arrays grow by doubling and are cut to size at the end so each owns its whole buffer.
 */
import { converter, crsInfo, insideAreaOfUse, type Converter, type Epsg, type VerticalDatum } from '../../geo/crs';
import type { GeoidGrid } from '../../geo/geoid';
import { toEllipsoidalHeightM } from '../../geo/heights';
import { Growable, f64, u32 } from './growable';
import { PropertyBuilder } from './properties';
import {
  MAX_PROBLEMS,
  type HeightInfo,
  type ImportCounts,
  type ImportLayer,
  type ImportProblem,
  type ProblemCode,
} from './types';

/** Europe as the twin accepts it; points outside are reported, not placed (a wrong CRS choice lands them in Africa or the sea). */
export const EUROPE = { west: -25, south: 34, east: 45, north: 72 } as const;

// ---- problems ----------------------------------------------------------------------------------------------

/** The first `MAX_PROBLEMS` problems and a count of all. */
export class ProblemList {
  readonly items: ImportProblem[] = [];
  total = 0;
  push(p: ImportProblem): void {
    this.total++;
    if (this.items.length < MAX_PROBLEMS) this.items.push(p);
  }
  pushAll(ps: readonly ImportProblem[]): void {
    for (const p of ps) this.push(p);
  }
}

/** Where a problem is, as the fields of `ImportProblem`. */
export type Where = Pick<ImportProblem, 'line' | 'feature' | 'objectId'>;

// ---- geometry ----------------------------------------------------------------------------------------------

/** One feature's geometry in source coordinates (x, y, z as read; z NaN where the file has none). */
export interface SourceGeometry {
  /** Flat xyz, stride 3. */
  points: number[];
  /** Each flat xyz, stride 3, at least 2 vertices. */
  lines: number[][];
  /** Each polygon a list of rings, each flat xyz, stride 3, open (no closing vertex), at least 3 vertices. */
  polygons: number[][][];
  /** CityJSON surfaces, triangulated: vertices xyz and triangle indices into them, one kind per triangle. */
  triangles: { xyz: Float64Array; indices: Uint32Array; kind: Uint8Array }[];
}

export const emptyGeometry = (): SourceGeometry => ({ points: [], lines: [], polygons: [], triangles: [] });

/** Why a vertex could not be placed (Ok: it was). */
const Place = { Ok: 0, Zero: 1, NotFinite: 2, OutOfRange: 3, Transform: 4, OutsideEurope: 5, MissingHeight: 6, Height: 7 } as const;
type Place = (typeof Place)[keyof typeof Place];

export interface BuilderOptions {
  readonly epsg: Epsg;
  readonly swapAxes: boolean;
  readonly heights: HeightInfo;
  /** Needed when heights are converted from a datum other than ellipsoidal. */
  readonly geoid: GeoidGrid | null;
}

export class LayerBuilder {
  readonly problems = new ProblemList();
  readonly properties: PropertyBuilder;
  private readonly toWgs: Converter | null;
  private readonly geographic: boolean;
  private readonly datum: VerticalDatum | null;
  private readonly scratch = [0, 0];
  /** Placed lon, lat, h of the feature being added. */
  private readonly staged = f64();

  private readonly points = { xyz: f64(), feature: u32() };
  private readonly lines = { xyz: f64(), offsets: u32(), feature: u32() };
  private readonly polygons = { xyz: f64(), ringOffsets: u32(), ringPolygon: u32(), polygonFeature: u32() };
  private readonly triangles = { xyz: f64(), indices: u32(), feature: u32(), kind: new Growable(Uint8Array) };
  private readonly featureSource = u32();
  private polygonCount = 0;
  private features = 0;
  /** Features (or rows) not kept, each with a problem. */
  private skipped = 0;
  outsideAreaOfUse = 0;
  outsideEurope = 0;
  private west = Infinity;
  private south = Infinity;
  private east = -Infinity;
  private north = -Infinity;
  private hMin = Infinity;
  private hMax = -Infinity;

  constructor(
    private readonly opts: BuilderOptions,
    numeral: ((s: string) => number) | null = null,
  ) {
    const { epsg, heights, geoid } = opts;
    this.geographic = crsInfo(epsg).geographic;
    this.toWgs = epsg === 4326 || epsg === 4979 ? null : converter(epsg, 4326);
    this.datum = heights.mode === 'ellipsoidal' ? heights.sourceDatum : null;
    if (this.datum !== null && this.datum !== 'ellipsoidal' && !geoid) {
      throw new Error(`converting ${this.datum} heights needs the geoid grid: init() has not run`);
    }
    this.properties = new PropertyBuilder(numeral);
    this.lines.offsets.push(0);
    this.polygons.ringOffsets.push(0);
  }

  get featureCount(): number {
    return this.features;
  }

  problem(code: ProblemCode, severity: ImportProblem['severity'], message: string, where: Where = {}): void {
    this.problems.push({ code, severity, message, ...where });
  }

  /** A feature (or CSV row) that is not kept: its problem, and one more in `skipped`. */
  skipFeature(code: ProblemCode, severity: ImportProblem['severity'], message: string, where: Where): void {
    this.problem(code, severity, message, where);
    this.skipped++;
  }

  /** Per feature: vertices outside the source CRS's area of use and outside Europe (added to the totals by the caller). */
  private areaOut = 0;
  private europeOut = 0;

  /** One source vertex -> `staged`; the status says why it could not be placed. */
  private place(x0: number, y0: number, z: number): Place {
    const x = this.opts.swapAxes ? y0 : x0;
    const y = this.opts.swapAxes ? x0 : y0;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Place.NotFinite;
    // 0,0 is what an empty or placeholder cell turns into: never a real position in this twin.
    if (x === 0 && y === 0) return Place.Zero;
    let lon = x;
    let lat = y;
    if (this.geographic && (Math.abs(x) > 180 || Math.abs(y) > 90)) return Place.OutOfRange;
    if (this.toWgs) {
      this.scratch[0] = x;
      this.scratch[1] = y;
      try {
        const ll = this.toWgs.forward(this.scratch);
        lon = ll[0]!;
        lat = ll[1]!;
      } catch {
        return Place.Transform;
      }
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) return Place.Transform;
    }
    if (!(lon >= EUROPE.west && lon <= EUROPE.east && lat >= EUROPE.south && lat <= EUROPE.north)) {
      this.europeOut++;
      return Place.OutsideEurope;
    }
    let h = 0;
    if (this.datum !== null) {
      if (!Number.isFinite(z)) return Place.MissingHeight;
      if (this.datum === 'ellipsoidal') h = z;
      else {
        try {
          h = toEllipsoidalHeightM(this.datum, z, lon, lat, this.opts.geoid!);
        } catch {
          return Place.Height;
        }
      }
    }
    if (!insideAreaOfUse(this.opts.epsg, lon, lat)) this.areaOut++;
    const s = this.staged;
    s.reserve(3);
    s.data[s.length] = lon;
    s.data[s.length + 1] = lat;
    s.data[s.length + 2] = h;
    s.length += 3;
    return Place.Ok;
  }

  private failure(status: Place, x: number, y: number, z: number): { code: ProblemCode; message: string } {
    const at = `${x}, ${y}`;
    switch (status) {
      case Place.Zero:
        return { code: 'zero-coordinates', message: 'coordinates 0, 0 (an empty or placeholder value), not placed' };
      case Place.NotFinite:
        return { code: 'non-finite', message: `coordinate ${at} is not a finite number` };
      case Place.OutOfRange:
        return { code: 'out-of-range', message: `coordinate ${at} is outside ±180° longitude / ±90° latitude` };
      case Place.Transform:
        return { code: 'transform-failed', message: `coordinate ${at} cannot be transformed from EPSG:${this.opts.epsg}` };
      case Place.OutsideEurope:
        return { code: 'outside-europe', message: `coordinate ${at} in EPSG:${this.opts.epsg}${this.opts.swapAxes ? ' (axes swapped)' : ''} lies outside Europe (lon -25…45, lat 34…72), not placed: is the CRS right?` };
      case Place.MissingHeight:
        return { code: 'missing-height', message: `coordinate ${at} has no height although the file has heights` };
      case Place.Height:
        return { code: 'height-not-converted', message: `the height ${z} at ${at} cannot be converted: the geoid grid does not cover this place` };
      default:
        return { code: 'invalid-geometry', message: `coordinate ${at} cannot be placed` };
    }
  }

  private commitBounds(start: number): void {
    const s = this.staged.data;
    for (let i = start; i < this.staged.length; i += 3) {
      const lon = s[i]!, lat = s[i + 1]!, h = s[i + 2]!;
      if (lon < this.west) this.west = lon;
      if (lon > this.east) this.east = lon;
      if (lat < this.south) this.south = lat;
      if (lat > this.north) this.north = lat;
      if (h < this.hMin) this.hMin = h;
      if (h > this.hMax) this.hMax = h;
    }
  }

  /**
   * CSV's fast path: one point feature. Returns false (with a problem at `where`) when it cannot be placed;
   * the caller then adds no property row.
   */
  addPoint(x: number, y: number, z: number, source: number, where: Where): boolean {
    this.staged.length = 0;
    this.areaOut = this.europeOut = 0;
    const status = this.place(x, y, z);
    this.outsideEurope += this.europeOut;
    if (status !== Place.Ok) {
      const f = this.failure(status, x, y, z);
      this.skipFeature(f.code, 'error', f.message, where);
      return false;
    }
    this.outsideAreaOfUse += this.areaOut;
    this.commitBounds(0);
    const p = this.points;
    p.xyz.reserve(3);
    p.xyz.data.set(this.staged.data.subarray(0, 3), p.xyz.length);
    p.xyz.length += 3;
    p.feature.push(this.features);
    this.featureSource.push(source);
    this.features++;
    return true;
  }

  /**
   * A whole feature. Every vertex is placed first; if any fails the feature is skipped with one problem (the
   * first failing vertex) and nothing of it is kept. Returns whether it was kept.
   */
  addFeature(g: SourceGeometry, source: number, where: Where): boolean {
    this.staged.length = 0;
    this.areaOut = this.europeOut = 0;
    let failed: { code: ProblemCode; message: string } | null = null;
    const stage = (xyz: ArrayLike<number>): void => {
      for (let i = 0; i < xyz.length; i += 3) {
        const status = this.place(xyz[i]!, xyz[i + 1]!, xyz[i + 2]!);
        if (status !== Place.Ok && !failed) failed = this.failure(status, xyz[i]!, xyz[i + 1]!, xyz[i + 2]!);
      }
    };
    stage(g.points);
    for (const l of g.lines) stage(l);
    for (const poly of g.polygons) for (const r of poly) stage(r);
    for (const t of g.triangles) stage(t.xyz);
    this.outsideEurope += this.europeOut;
    if (failed) {
      const f = failed as { code: ProblemCode; message: string };
      this.skipFeature(f.code, 'error', `${f.message}; the feature is skipped`, where);
      return false;
    }
    this.outsideAreaOfUse += this.areaOut;
    this.commitBounds(0);

    const feature = this.features;
    const s = this.staged.data;
    let k = 0;
    const take = (dst: Growable<Float64Array>, n: number): void => {
      dst.reserve(n * 3);
      dst.data.set(s.subarray(k, k + n * 3), dst.length);
      dst.length += n * 3;
      k += n * 3;
    };
    const nPoints = g.points.length / 3;
    take(this.points.xyz, nPoints);
    for (let i = 0; i < nPoints; i++) this.points.feature.push(feature);
    for (const l of g.lines) {
      take(this.lines.xyz, l.length / 3);
      this.lines.offsets.push(this.lines.xyz.length / 3);
      this.lines.feature.push(feature);
    }
    for (const poly of g.polygons) {
      for (const r of poly) {
        take(this.polygons.xyz, r.length / 3);
        this.polygons.ringOffsets.push(this.polygons.xyz.length / 3);
        this.polygons.ringPolygon.push(this.polygonCount);
      }
      this.polygons.polygonFeature.push(feature);
      this.polygonCount++;
    }
    for (const t of g.triangles) {
      const base = this.triangles.xyz.length / 3;
      take(this.triangles.xyz, t.xyz.length / 3);
      const idx = this.triangles.indices;
      idx.reserve(t.indices.length);
      for (let i = 0; i < t.indices.length; i++) idx.data[idx.length++] = base + t.indices[i]!;
      for (let i = 0; i < t.kind.length; i++) {
        this.triangles.feature.push(feature);
        this.triangles.kind.push(t.kind[i]!);
      }
    }
    this.featureSource.push(source);
    this.features++;
    return true;
  }

  /** The layer and its statistics, yielding between property columns; the builder must not be used afterwards. */
  async finish(pause: () => Promise<void>): Promise<{ layer: ImportLayer; counts: ImportCounts; bbox: [number, number, number, number] | null; heightRange: [number, number] | null }> {
    const columns = this.properties.finishColumns();
    let step = columns.next();
    while (!step.done) {
      await pause();
      step = columns.next();
    }
    const properties = step.value;
    const layer: ImportLayer = {
      featureCount: this.features,
      heights: this.opts.heights,
      points: { xyz: this.points.xyz.finish(), feature: this.points.feature.finish() },
      lines: { xyz: this.lines.xyz.finish(), offsets: this.lines.offsets.finish(), feature: this.lines.feature.finish() },
      polygons: {
        xyz: this.polygons.xyz.finish(),
        ringOffsets: this.polygons.ringOffsets.finish(),
        ringPolygon: this.polygons.ringPolygon.finish(),
        polygonFeature: this.polygons.polygonFeature.finish(),
      },
      triangles: {
        xyz: this.triangles.xyz.finish(),
        indices: this.triangles.indices.finish(),
        feature: this.triangles.feature.finish(),
        kind: this.triangles.kind.finish(),
      },
      properties,
      featureSource: this.featureSource.finish(),
    };
    const counts: ImportCounts = {
      features: this.features,
      skippedFeatures: this.skipped,
      points: layer.points.feature.length,
      lines: layer.lines.feature.length,
      polygons: layer.polygons.polygonFeature.length,
      rings: layer.polygons.ringPolygon.length,
      triangles: layer.triangles.feature.length,
      vertices: (layer.points.xyz.length + layer.lines.xyz.length + layer.polygons.xyz.length + layer.triangles.xyz.length) / 3,
    };
    const placed = counts.vertices > 0;
    return {
      layer,
      counts,
      bbox: placed ? [this.west, this.south, this.east, this.north] : null,
      heightRange: placed ? [this.hMin, this.hMax] : null,
    };
  }
}
