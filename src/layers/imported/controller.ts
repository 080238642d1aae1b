/**
 * Imported files as layers: read in the import worker, confirmed by the user (CRS), drawn by the binding,
 * listed in the store, styled, exported and removed. A failure stays with its own layer (or, before a layer
 * exists, becomes a notice); nothing else the user has open changes.
 */
import type { Epsg } from '../../../core/geo/crs';
import { watch, type AppStore } from '../../state/store';
import type { Selection } from '../../state/types';
import type { TwinViewer } from '../../scene/create-viewer';
import { registerPickResolver } from '../../scene/picking';
import type { CrsCandidate, ImportLayer, ImportResult, InspectResult } from '../../../core/formats/import/types';
import { mountImported, type ImportedHandle } from './cesium';
import { importedGeometry } from './from-import';
import { featureColours } from './geometry';
import { MAX_IMPORT_BYTES } from './limits';

export interface ImportService {
  /** Takes the bytes (they may be detached afterwards) and hands them back with the answer. */
  inspect(key: string, file: { fileName: string; bytes: ArrayBuffer }): Promise<{ result: InspectResult; bytes: ArrayBuffer }>;
  convert(key: string, file: { fileName: string; bytes: ArrayBuffer }, choice: CrsChoice, onProgress: (f: number) => void): Promise<ImportResult>;
  exportGeoJson(key: string, layer: ImportLayer, epsg: Epsg): Promise<string>;
}

/** What the user confirmed in the dialog: a detected candidate, or a CRS picked by hand. */
export interface CrsChoice {
  readonly epsg: Epsg;
  readonly swapAxes: boolean;
  readonly candidate?: CrsCandidate;
}

export interface ImportController {
  inspect(file: File): Promise<{ bytes: ArrayBuffer; result: InspectResult }>;
  add(fileName: string, bytes: ArrayBuffer, inspect: InspectResult, choice: CrsChoice): Promise<void>;
  setStyle(layerId: string, column: string | null): void;
  exportLayer(layerId: string, epsg: Epsg): Promise<{ fileName: string; text: string }>;
  remove(layerId: string): void;
  /** Lets go of what is drawn in a scene about to be torn down (its handles are never touched again). */
  detach(): void;
  /** Draws every imported layer again into a new viewer (after the scene was rebuilt); styles are kept. */
  rebind(viewer: TwinViewer): Promise<void>;
}

export { MAX_IMPORT_BYTES };

interface Entry {
  layer: ImportResult;
  handle: ImportedHandle | null;
}

let seq = 0;

export function createImportController(initialViewer: TwinViewer, store: AppStore, service: ImportService, toEcef: (key: string, lonLatH: Float64Array) => Promise<Float64Array>): ImportController {
  const entries = new Map<string, Entry>();
  let viewer = initialViewer;
  // The layer list's checkbox sets the store; the scene follows for every imported layer.
  watch(store, (s) => s.layers, (layers) => {
    for (const [id, e] of entries) e.handle?.setVisible(layers[id]?.visible ?? true);
  });

  const selectionOf = (layerId: string, feature: number): Selection | null => {
    const e = entries.get(layerId);
    if (!e) return null;
    const props: Array<[string, string]> = e.layer.properties.names.map((name, c) => {
      const col = e.layer.properties.columns[c]!;
      const v = col[feature];
      return [name, typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : (v ?? '')];
    });
    props.push(['source', e.layer.fileName], ['sourceCrs', `EPSG:${e.layer.source.epsg}`]);
    return { layerId, properties: props };
  };

  /** Lets go of every handle (they belong to a scene being torn down; nothing may touch them again). */
  const detach = (): void => {
    for (const e of entries.values()) {
      try {
        e.handle?.dispose();
      } catch {
        // the old scene is gone with its context; nothing of it needs freeing
      }
      e.handle = null;
    }
  };

  return {
    async inspect(file) {
      if (file.size > MAX_IMPORT_BYTES) throw new Error(`“${file.name}” is ${(file.size / 1048576).toFixed(0)} MB; files up to ${MAX_IMPORT_BYTES / 1048576} MB can be imported.`);
      // The bytes travel to the worker and back by transfer: `add` needs them once the user confirms the CRS.
      return service.inspect(`inspect-${file.name}`, { fileName: file.name, bytes: await file.arrayBuffer() });
    },

    async add(fileName, bytes, inspect, choice) {
      const id = `import-${++seq}`;
      const columns = inspect.columns ?? [];
      store.getState().addImportedLayer(id, fileName, {
        fileName, format: inspect.format ?? 'unknown', epsg: choice.epsg, featureCount: inspect.featureCount, problemCount: inspect.problemCount,
        columns, styleBy: null, progress: 0, outsideAreaOfUse: 0,
      });
      try {
        const layer = await service.convert(id, { fileName, bytes }, choice, (f) => store.getState().patchImported(id, { progress: f * 0.5 }));
        const entry: Entry = { layer, handle: null };
        entries.set(id, entry);
        store.getState().patchImported(id, {
          featureCount: layer.featureCount, problemCount: layer.problemCount, columns: layer.properties.names, outsideAreaOfUse: layer.outsideAreaOfUse,
        });
        registerPickResolver(id, (feature) => selectionOf(id, feature));
        entry.handle = await mountImported(viewer, id, importedGeometry(layer), toEcef, (f) => store.getState().patchImported(id, { progress: 0.5 + f * 0.5 }));
        if (!store.getState().layers[id]) {
          // Removed while it was loading.
          entry.handle.dispose();
          entries.delete(id);
          return;
        }
        entry.handle.setVisible(store.getState().layers[id]?.visible ?? true);
        store.getState().setLayerStatus(id, 'ready');
        if (layer.problemCount > 0) {
          const first = layer.problems[0];
          store.getState().notify('warning', `${fileName}: ${layer.problemCount} problem(s); first: ${first ? `${first.line ? `line ${first.line}: ` : ''}${first.message}` : ''}`);
        }
        if (layer.bbox) {
          const [w, s, e, n] = layer.bbox;
          const span = Math.max((e - w) * 73_000, (n - s) * 111_000);
          store.getState().flyTo({ lonDeg: (w + e) / 2, latDeg: s - Math.max(span, 500) / 111_000 * 0.9, heightM: Math.max(span, 500) * 1.2 + (layer.heightRange?.[1] ?? 0), headingDeg: 0, pitchDeg: -40, rollDeg: 0 });
        }
      } catch (err) {
        store.getState().setLayerStatus(id, 'error', err instanceof Error ? err.message : String(err));
      }
    },

    setStyle(layerId, column) {
      const e = entries.get(layerId);
      if (!e?.handle) return;
      e.handle.setColours(featureColours(e.layer.properties, e.layer.featureCount, column));
      store.getState().patchImported(layerId, { styleBy: column });
    },

    async exportLayer(layerId, epsg) {
      const e = entries.get(layerId);
      if (!e) throw new Error('this layer has no data to export');
      const text = await service.exportGeoJson(`export-${layerId}`, e.layer, epsg);
      return { fileName: `${e.layer.fileName.replace(/\.[^.]*$/, '')}.EPSG${epsg}.geojson`, text };
    },

    detach,

    async rebind(next) {
      viewer = next;
      detach();
      for (const [id, e] of entries) {
        const handle = await mountImported(viewer, id, importedGeometry(e.layer), toEcef, () => {});
        if (!entries.has(id)) {
          handle.dispose();
          continue;
        }
        e.handle = handle;
        const styleBy = store.getState().layers[id]?.imported?.styleBy ?? null;
        if (styleBy) handle.setColours(featureColours(e.layer.properties, e.layer.featureCount, styleBy));
        handle.setVisible(store.getState().layers[id]?.visible ?? true);
      }
    },

    remove(layerId) {
      const e = entries.get(layerId);
      e?.handle?.dispose();
      entries.delete(layerId);
      registerPickResolver(layerId, null);
      store.getState().removeLayer(layerId);
    },
  };
}
