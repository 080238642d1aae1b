/** Click -> the picked building's properties, as plain strings, into the store. */
import { activeTool } from '../state/tool-mode';
import { Cartographic, Cesium3DTileFeature, Color, Entity, JulianDate, type DataSource, Math as CesiumMath, ScreenSpaceEventHandler, ScreenSpaceEventType, type Cartesian2, type Cesium3DTileset } from 'cesium';
import { watch, type AppStore } from '../state/store';
import type { Selection } from '../state/types';
import type { TwinViewer } from './create-viewer';
import { HIGHLIGHT_CSS } from './highlight';

/** Which layer a tileset belongs to; bindings register their tilesets here. */
const layerOfTileset = new WeakMap<Cesium3DTileset, string>();
export function tagTileset(tileset: Cesium3DTileset, layerId: string): void {
  layerOfTileset.set(tileset, layerId);
}

/** A picked building's layer and properties as plain strings, in the order its property table gives them. */
export function featureSelection(picked: Cesium3DTileFeature): Selection {
  const layerId = layerOfTileset.get(picked.tileset) ?? 'unknown';
  const properties: Array<[string, string]> = picked
    .getPropertyIds()
    .map((id): [string, string] => [id, formatValue(picked.getProperty(id))]);
  return { layerId, properties };
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return '';
  return JSON.stringify(v);
}

/**
 * Other layers' pickables carry `{ layerId, feature }` as their id; their layer turns a feature into a selection.
 * `where` is the picked point on the scene (for surfaces such as a heatmap, where the feature alone says little).
 */
export type PickResolver = (feature: number, where: { lonDeg: number; latDeg: number } | null) => Selection | null;
const resolvers = new Map<string, PickResolver>();
export function registerPickResolver(layerId: string, resolver: PickResolver | null): void {
  if (resolver) resolvers.set(layerId, resolver);
  else resolvers.delete(layerId);
}

/** Which layer a data source (KML, CZML, GPX, GeoJSON from the catalogue) belongs to. */
const layerOfDataSource = new WeakMap<object, string>();
export function tagDataSource(ds: DataSource, layerId: string): void {
  layerOfDataSource.set(ds.entities, layerId);
}

/** A picked entity's name and properties as plain strings; its description (HTML in KML) is never shown. */
function entitySelection(entity: Entity): Selection | null {
  const layerId = layerOfDataSource.get(entity.entityCollection);
  if (!layerId) return null;
  const now = JulianDate.now();
  const properties: Array<[string, string]> = [];
  if (entity.name) properties.push(['name', entity.name]);
  // KML's ExtendedData is kept by Cesium beside the properties.
  const extended = (entity as unknown as { kml?: { extendedData?: Record<string, { displayName?: string; value?: unknown }> } }).kml?.extendedData ?? {};
  for (const [key, d] of Object.entries(extended)) properties.push([d.displayName || key, formatValue(d.value)]);
  for (const key of entity.properties?.propertyNames ?? []) properties.push([key, formatValue((entity.properties as unknown as Record<string, { getValue(t: JulianDate): unknown } | undefined>)[key]?.getValue(now))]);
  return { layerId, properties };
}

function resolvePicked(picked: unknown, where: () => { lonDeg: number; latDeg: number } | null): Selection | null {
  if (picked instanceof Cesium3DTileFeature) return featureSelection(picked);
  const entity = (picked as { id?: unknown } | undefined)?.id;
  if (entity instanceof Entity) return entitySelection(entity);
  const id = (picked as { id?: { layerId?: unknown; feature?: unknown } } | undefined)?.id;
  if (id && typeof id.layerId === 'string' && typeof id.feature === 'number') return resolvers.get(id.layerId)?.(id.feature, where()) ?? null;
  return null;
}

/** A buildings layer also gives this colour by id in its style, so it survives a tile's refinement. */
const HIGHLIGHT = Color.fromCssColorString(HIGHLIGHT_CSS);

/** A draped surface (a heatmap: feature −1) under a point or a building is not what a click means. */
function isSurface(picked: unknown): boolean {
  const id = (picked as { id?: { feature?: unknown } } | undefined)?.id;
  return typeof id?.feature === 'number' && id.feature < 0;
}

/**
 * What a click at a window point means: the first thing that is not a draped surface, else the surface.
 * Cesium's `pick` returns the nearest, and a heatmap draped on the ground covers the points standing on it.
 */
export function pickMeant(scene: TwinViewer['scene'], position: Cartesian2): unknown {
  const first: unknown = scene.pick(position);
  if (!isSurface(first)) return first;
  const below = scene.drillPick(position, 4) as unknown[];
  return below.find((p) => !isSurface(p)) ?? first;
}

export function bindPicking(viewer: TwinViewer, store: AppStore): () => void {
  const handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
  // The highlighted feature and the colour its style gave it, restored when the selection changes.
  let highlighted: { feature: Cesium3DTileFeature; color: Color } | null = null;
  const unhighlight = () => {
    if (highlighted && !highlighted.feature.tileset.isDestroyed()) highlighted.feature.color = highlighted.color;
    highlighted = null;
  };
  handler.setInputAction((e: { position: Cartesian2 }) => {
    // A tool owns the pointer: while measuring, drawing a building or placing a mast, a click is the tool's
    // (a measured point, a corner, a site), never a selection whose info panel would then cover the next clicks.
    const st = store.getState();
    if (activeTool(st)) return;
    unhighlight();
    const picked = pickMeant(viewer.scene, e.position);
    if (picked instanceof Cesium3DTileFeature) {
      highlighted = { feature: picked, color: Color.clone(picked.color) };
      picked.color = HIGHLIGHT;
    }
    const where = () => {
      const c = viewer.scene.pickPositionSupported ? viewer.scene.pickPosition(e.position) : undefined;
      if (!c) return null;
      const g = Cartographic.fromCartesian(c);
      return g ? { lonDeg: CesiumMath.toDegrees(g.longitude), latDeg: CesiumMath.toDegrees(g.latitude) } : null;
    };
    const selection = resolvePicked(picked, where);
    const width = viewer.scene.canvas.clientWidth;
    store.getState().select(selection && width > 0 ? { ...selection, pickedAtX: e.position.x / width } : selection);
    viewer.requestRender();
  }, ScreenSpaceEventType.LEFT_CLICK);
  const unwatch = watch(store, (s) => s.selection, (sel) => {
    if (sel === null) {
      unhighlight();
      viewer.requestRender();
    }
  });
  return () => {
    unwatch();
    unhighlight();
    handler.destroy();
  };
}
