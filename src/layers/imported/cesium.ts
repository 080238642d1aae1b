/**
 * An imported file in the scene. Points go in as PointPrimitives, added a slice per frame so a large file never
 * blocks the page for long; lines and polygon outlines are draped (or drawn at their heights when the file has
 * heights); CityJSON triangles are one primitive with a colour per feature. Every primitive carries
 * `{ layerId, feature }` as its pick id.
 */
import {
  Cartesian3,
  Cartographic,
  Color,
  ColorGeometryInstanceAttribute,
  ComponentDatatype,
  Geometry,
  GeometryAttribute,
  GeometryAttributes,
  GeometryInstance,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolylineCollection,
  Primitive,
  PrimitiveType,
  BoundingSphere,
  sampleTerrainMostDetailed,
  Material,
  type GroundPolylinePrimitive,
} from 'cesium';
import { unpackLines } from '../../../core/geo/buffers';
import { groundLines } from '../../scene/ground-lines';
import type { TwinViewer } from '../../scene/create-viewer';
import type { ImportedGeometry } from './geometry';
import { pointChunk, POINTS_PER_CHUNK } from './point-cloud';

export interface PickId {
  readonly layerId: string;
  readonly feature: number;
}

export interface ImportedHandle {
  setVisible(visible: boolean): void;
  /** RGB per feature (stride 3), or null for the default colour. */
  setColours(colours: Uint8Array | null): void;
  dispose(): void;
}

/** Points per frame for PointPrimitives (5,000 per slice tripled the total time: see bench/import). */
const POINTS_PER_SLICE = 20_000;
/** Above this, points are drawn as typed-array primitives: per-point objects cost seconds of work and garbage. */
const MAX_POINT_PRIMITIVES = 20_000;
/** Above this many ground points, terrain sampling would take too long: they stay at 0 m, drawn over the terrain. */
const MAX_SAMPLED_POINTS = 50_000;
const DEFAULT = Color.fromCssColorString('#00e5ff');

export async function mountImported(
  viewer: TwinViewer,
  layerId: string,
  geom: ImportedGeometry,
  toEcef: (key: string, lonLatH: Float64Array) => Promise<Float64Array>,
  onProgress: (fraction: number) => void,
): Promise<ImportedHandle> {
  const scene = viewer.scene;
  const disposers: Array<() => void> = [];
  const showers: Array<(v: boolean) => void> = [];
  let recolour: Array<(c: Uint8Array | null) => void> = [];

  // Points
  const nPoints = geom.points.xyz.length / 3;
  if (nPoints > 0) {
    const lonLatH = geom.points.xyz.slice();
    const onGround = geom.heights === 'ground';
    if (onGround && nPoints <= MAX_SAMPLED_POINTS) await sampleGroundHeights(viewer, lonLatH);
    const ecef = await toEcef(`${layerId}-points`, lonLatH);
    if (nPoints > MAX_POINT_PRIMITIVES) {
      await mountPointCloud(viewer, ecef, geom.points.feature, onGround, onProgress, showers, disposers, recolour);
    } else {
      await mountPointPrimitives(viewer, layerId, ecef, geom.points.feature, onGround, onProgress, showers, disposers, recolour);
    }
  }

  // Lines and polygon outlines
  for (const [kind, packed] of [['lines', geom.lines], ['rings', geom.rings]] as const) {
    if (packed.offsets.length < 2) continue;
    const ecef = unpackLines({ xyz: await toEcef(`${layerId}-${kind}`, packed.xyz.slice()), offsets: packed.offsets });
    if (geom.heights === 'ground') {
      // Draped lines share one material per primitive: styling by attribute colours points, 3D lines and solids.
      const prim: GroundPolylinePrimitive = scene.groundPrimitives.add(groundLines(ecef, { color: '#00e5ff', widthPx: 3 }));
      showers.push((v) => (prim.show = v));
      disposers.push(() => scene.groundPrimitives.remove(prim));
    } else {
      const lines = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
      ecef.forEach((l, j) => lines.add({ positions: Cartesian3.unpackArray(Array.from(l)), width: 3, material: Material.fromType('Color', { color: DEFAULT }), id: { layerId, feature: packed.feature[j]! } satisfies PickId }));
      showers.push((v) => (lines.show = v));
      disposers.push(() => scene.primitives.remove(lines));
      recolour.push((c) => {
        for (let j = 0; j < lines.length; j++) lines.get(j).material.uniforms.color = c ? colourOf(c, packed.feature[j]!) : DEFAULT;
      });
    }
  }

  // Triangles (CityJSON solids)
  let solids: Primitive | null = null;
  const buildSolids = async (colours: Uint8Array | null) => {
    if (geom.triangles.indices.length === 0) return;
    const ecef = solidsEcef ?? (solidsEcef = await toEcef(`${layerId}-triangles`, geom.triangles.xyz.slice()));
    if (solids) scene.primitives.remove(solids);
    solids = scene.primitives.add(solidsPrimitive(layerId, ecef, geom.triangles.indices, geom.triangles.feature, colours)) as Primitive;
    viewer.requestRender();
  };
  let solidsEcef: Float64Array | null = null;
  await buildSolids(null);
  if (geom.triangles.indices.length > 0) {
    showers.push((v) => {
      if (solids) solids.show = v;
    });
    disposers.push(() => {
      if (solids) scene.primitives.remove(solids);
    });
    recolour.push((c) => void buildSolids(c));
  }

  onProgress(1);
  viewer.requestRender();
  return {
    setVisible(v) {
      for (const s of showers) s(v);
      viewer.requestRender();
    },
    setColours(c) {
      for (const r of recolour) r(c);
      viewer.requestRender();
    },
    dispose() {
      for (const d of disposers) d();
      recolour = [];
      viewer.requestRender();
    },
  };
}

type Showers = Array<(v: boolean) => void>;
type Disposers = Array<() => void>;
type Recolourers = Array<(c: Uint8Array | null) => void>;

/** Up to this many points: one PointPrimitive each (pickable one by one, outlined). */
async function mountPointPrimitives(viewer: TwinViewer, layerId: string, ecef: Float64Array, feature: Uint32Array, onGround: boolean, onProgress: (f: number) => void, showers: Showers, disposers: Disposers, recolour: Recolourers): Promise<void> {
  const scene = viewer.scene;
  const nPoints = feature.length;
  // One collection per slice: Cesium rebuilds a collection's whole vertex buffer when it changes.
  const collections: PointPrimitiveCollection[] = [];
  for (let start = 0; start < nPoints; start += POINTS_PER_SLICE) {
    const end = Math.min(nPoints, start + POINTS_PER_SLICE);
    const points = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
    collections.push(points);
    for (let i = start; i < end; i++) {
      points.add({
        position: new Cartesian3(ecef[i * 3]!, ecef[i * 3 + 1]!, ecef[i * 3 + 2]!),
        pixelSize: 8,
        color: DEFAULT,
        outlineColor: Color.BLACK,
        outlineWidth: 1,
        // Points on the ground would otherwise half sink into coarser terrain tiles.
        disableDepthTestDistance: onGround ? Number.POSITIVE_INFINITY : 0,
        id: { layerId, feature: feature[i]! } satisfies PickId,
      });
    }
    onProgress(end / nPoints);
    viewer.requestRender();
    await nextFrame();
  }
  showers.push((v) => {
    for (const c of collections) c.show = v;
  });
  disposers.push(() => {
    for (const c of collections) scene.primitives.remove(c);
  });
  recolour.push((c) => {
    let i = 0;
    for (const coll of collections) {
      for (let k = 0; k < coll.length; k++, i++) coll.get(k).color = c ? colourOf(c, feature[i]!) : DEFAULT;
    }
  });
}

/** More points: typed-array primitives (see point-cloud.ts), one per chunk, added as the frames go by. */
async function mountPointCloud(viewer: TwinViewer, ecef: Float64Array, feature: Uint32Array, onGround: boolean, onProgress: (f: number) => void, showers: Showers, disposers: Disposers, recolour: Recolourers): Promise<void> {
  const scene = viewer.scene;
  const n = feature.length;
  let chunks: Primitive[] = [];
  let visible = true;
  let generation = 0;
  // One chunk per frame: Cesium encodes and uploads a synchronous primitive in the frame after it is added.
  const build = async (colours: Uint8Array | null) => {
    const mine = ++generation;
    const built: Primitive[] = [];
    const def = [Math.round(DEFAULT.red * 255), Math.round(DEFAULT.green * 255), Math.round(DEFAULT.blue * 255)];
    for (let start = 0; start < n; start += POINTS_PER_CHUNK) {
      const end = Math.min(n, start + POINTS_PER_CHUNK);
      const rgba = new Uint8Array((end - start) * 4);
      for (let i = start, o = 0; i < end; i++, o += 4) {
        const f = feature[i]! * 3;
        rgba[o] = colours ? colours[f]! : def[0]!;
        rgba[o + 1] = colours ? colours[f + 1]! : def[1]!;
        rgba[o + 2] = colours ? colours[f + 2]! : def[2]!;
        rgba[o + 3] = 255;
      }
      const prim = scene.primitives.add(pointChunk(ecef.subarray(start * 3, end * 3), rgba, onGround)) as Primitive;
      prim.show = visible;
      built.push(prim);
      if (chunks.length === 0) onProgress(end / n);
      viewer.requestRender();
      await nextFrame();
      if (mine !== generation) {
        // A newer colouring took over: drop this one's partial work.
        for (const c of built) scene.primitives.remove(c);
        return;
      }
    }
    // The old colouring stays on screen until the new one is complete.
    for (const c of chunks) scene.primitives.remove(c);
    chunks = built;
    viewer.requestRender();
  };
  await build(null);
  showers.push((v) => {
    visible = v;
    for (const c of chunks) c.show = v;
  });
  disposers.push(() => {
    generation++; // stops a colouring in progress; it removes its own partial chunks
    for (const c of chunks) scene.primitives.remove(c);
    chunks = [];
  });
  recolour.push((c) => void build(c));
}

function colourOf(c: Uint8Array, feature: number): Color {
  return Color.fromBytes(c[feature * 3]!, c[feature * 3 + 1]!, c[feature * 3 + 2]!, 255);
}

function nextFrame(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => r()));
}

/** Replace each z with the scene's most detailed terrain height there (in place). */
async function sampleGroundHeights(viewer: TwinViewer, lonLatH: Float64Array): Promise<void> {
  const carto: Cartographic[] = [];
  for (let i = 0; i < lonLatH.length; i += 3) carto.push(Cartographic.fromDegrees(lonLatH[i]!, lonLatH[i + 1]!));
  const sampled = await sampleTerrainMostDetailed(viewer.scene.terrainProvider, carto);
  sampled.forEach((c, k) => {
    lonLatH[k * 3 + 2] = Number.isFinite(c.height) ? c.height : 0;
  });
}

/** One GeometryInstance per feature, so each can carry its own colour and pick id. */
function solidsPrimitive(layerId: string, ecef: Float64Array, indices: Uint32Array, triFeature: Uint32Array, colours: Uint8Array | null): Primitive {
  const byFeature = new Map<number, number[]>();
  for (let t = 0; t < triFeature.length; t++) {
    const f = triFeature[t]!;
    let list = byFeature.get(f);
    if (!list) byFeature.set(f, (list = []));
    list.push(indices[t * 3]!, indices[t * 3 + 1]!, indices[t * 3 + 2]!);
  }
  const instances: GeometryInstance[] = [];
  for (const [feature, idx] of byFeature) {
    // Each instance gets its own compact vertex list (flat shading needs no shared normals).
    const positions = new Float64Array(idx.length * 3);
    idx.forEach((v, k) => positions.set(ecef.subarray(v * 3, v * 3 + 3), k * 3));
    const attributes = new GeometryAttributes();
    attributes.position = new GeometryAttribute({ componentDatatype: ComponentDatatype.DOUBLE, componentsPerAttribute: 3, values: positions });
    const geometry = new Geometry({
      attributes,
      indices: Uint32Array.from(idx.keys()),
      primitiveType: PrimitiveType.TRIANGLES,
      boundingSphere: BoundingSphere.fromVertices(Array.from(positions)),
    });
    const colour = colours ? colourOf(colours, feature) : Color.fromCssColorString('#9fd3ff');
    instances.push(new GeometryInstance({ geometry, id: { layerId, feature } satisfies PickId, attributes: { color: ColorGeometryInstanceAttribute.fromColor(colour) } }));
  }
  return new Primitive({ geometryInstances: instances, appearance: new PerInstanceColorAppearance({ flat: true, translucent: false }), asynchronous: false });
}
