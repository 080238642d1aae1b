/**
 * Mount every layer of the manifest: register it in the store, mount its binding, follow its visibility.
 * A layer that fails ends in status 'error' with a message; the others carry on.
 * Only what is shown is loaded: a layer that is off stays 'idle' (nothing fetched, no worker busy) until it is
 * first shown; from then on it stays mounted and hiding it only hides it.
 */
import { t } from '../i18n';
import { watch } from '../state/store';
import { mountBoundaries } from './boundaries/cesium';
import { mountBuildings } from './buildings/cesium';
import { mountImagery } from './imagery/cesium';
import { mountPlaces } from './places/cesium';
import type { Manifest, ManifestEntry } from '../../core/manifest';
import { mountTerrain } from './terrain/cesium';
import { layerTitle } from './titles';
import type { BindingContext, LayerHandle, MountLayer } from './types';

// The analysis layers' code is fetched when the layer is first shown: a workspace without them never loads it.
const BINDINGS: Record<ManifestEntry['kind'], MountLayer> = {
  terrain: mountTerrain,
  imagery: mountImagery,
  boundaries: mountBoundaries,
  places: mountPlaces,
  buildings: mountBuildings,
  sensors: async (ctx, e) => (await import('./sensors/controller')).mountSensors(ctx, e),
  climate: async (ctx, e) => (await import('./climate/controller')).mountClimate(ctx, e),
  coverage: async (ctx, e) => (await import('./coverage/controller')).mountCoverage(ctx, e),
};

/** Terrain first (the globe's surface), then imagery (coverage maps are imagery too), lines and tilesets on top of it. */
const ORDER: Record<ManifestEntry['kind'], number> = { terrain: 0, imagery: 1, coverage: 2, boundaries: 3, places: 4, buildings: 5, sensors: 6, climate: 6 };

export interface MountedLayers {
  readonly ready: Promise<void>;
  dispose(): void;
}

/** Whether a layer is on when first registered (the link's or the workspace's choice); ignored for layers in the store. */
export type VisibleAtStart = (entry: ManifestEntry) => boolean;

export function mountLayers(ctx: BindingContext, manifest: Manifest, visibleAtStart: VisibleAtStart): MountedLayers {
  const { store } = ctx;
  const entries = manifest.layers.toSorted((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  for (const e of entries) store.getState().addLayer(e.id, e.kind, visibleAtStart(e));
  const handles: LayerHandle[] = [];
  const unwatch: Array<() => void> = [];
  // Disposed while a layer was still mounting (the scene was rebuilt): that layer is removed as soon as it lands.
  let disposed = false;

  const mountOne = async (entry: ManifestEntry): Promise<void> => {
    store.getState().setLayerStatus(entry.id, 'loading');
    try {
      const handle = await BINDINGS[entry.kind](ctx, entry);
      if (disposed) {
        handle.dispose();
        return;
      }
      handles.push(handle);
      handle.setVisible(store.getState().layers[entry.id]?.visible ?? true);
      unwatch.push(watch(store, (s) => s.layers[entry.id]?.visible ?? true, (v) => handle.setVisible(v)));
      store.getState().setLayerNote(entry.id, handle.note);
      if (handle.setOpacity) {
        const setOpacity = handle.setOpacity.bind(handle);
        const s = store.getState();
        // The user's opacity survives a rebuilt scene; a first mount starts at the layer's default.
        s.setLayerOpacity(entry.id, s.layers[entry.id]?.opacity ?? handle.defaultOpacity ?? 1);
        setOpacity(store.getState().layers[entry.id]?.opacity ?? 1);
        unwatch.push(watch(store, (st) => st.layers[entry.id]?.opacity ?? 1, setOpacity));
      }
      if (store.getState().layers[entry.id]?.status === 'loading') store.getState().setLayerStatus(entry.id, 'ready');
    } catch (err) {
      if (disposed) return;
      const message = err instanceof Error ? err.message : String(err);
      const s = store.getState();
      s.setLayerStatus(entry.id, 'error', message);
      s.notify('error', t(s.lang, 'error.layer', { layer: layerTitle(s.lang, entry.id, entry.title), message }));
    }
  };

  const isVisible = (id: string): boolean => store.getState().layers[id]?.visible ?? true;
  const shown = entries.filter((e) => isVisible(e.id));
  for (const e of entries.filter((x) => !isVisible(x.id))) {
    // Mounted the first time it is shown; `ready` covers only the layers shown at start.
    const stop = watch(store, () => isVisible(e.id), (v) => {
      if (!v || disposed) return;
      stop();
      void mountOne(e);
    });
    unwatch.push(stop);
  }

  return {
    ready: Promise.all(shown.map(mountOne)).then(() => undefined),
    dispose() {
      disposed = true;
      for (const u of unwatch) u();
      for (const h of handles) {
        try {
          h.dispose();
        } catch {
          // a binding failing to free a dead context's objects must not keep the others from going
        }
      }
    },
  };
}

