/** Click -> the picked building's properties, as plain strings, into the store. */
import { Cesium3DTileFeature, ScreenSpaceEventHandler, ScreenSpaceEventType, type Cartesian2, type Cesium3DTileset } from 'cesium';
import type { AppStore } from '../state/store';
import type { TwinViewer } from './create-viewer';

/** Which layer a tileset belongs to; bindings register their tilesets here. */
const layerOfTileset = new WeakMap<Cesium3DTileset, string>();
export function tagTileset(tileset: Cesium3DTileset, layerId: string): void {
  layerOfTileset.set(tileset, layerId);
}

export function pickAt(viewer: TwinViewer, position: Cartesian2): { layerId: string; properties: Array<[string, string]> } | null {
  const picked: unknown = viewer.scene.pick(position);
  if (!(picked instanceof Cesium3DTileFeature)) return null;
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

export function bindPicking(viewer: TwinViewer, store: AppStore): () => void {
  const handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
  handler.setInputAction((e: { position: Cartesian2 }) => {
    store.getState().select(pickAt(viewer, e.position));
  }, ScreenSpaceEventType.LEFT_CLICK);
  return () => handler.destroy();
}
