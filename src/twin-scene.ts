/**
 * The 3D scene as a function of the store: viewer, layers and picking, built once and built again whenever the
 * GPU context is lost (a driver reset, a laptop waking, too many tabs). Cesium cannot continue on a restored
 * context, but everything the user sees comes from the store — camera, layer visibility, time, imported files
 * (kept by the import controller), selection — so a new scene shows the same view within seconds.
 */
import { t } from './i18n';
import type { Manifest } from '../core/manifest';
import { bindToolCursor } from './scene/tool-cursor';
import { mountLayers, type MountedLayers, type VisibleAtStart } from './layers/mount';
import type { BindingContext } from './layers/types';
import type { AppStore } from './state/store';
import { createViewer, type TwinViewer } from './scene/create-viewer';
import { bindMeasure } from './scene/measure';
import { bindPicking } from './scene/picking';
import { mountScenarioScene } from './layers/scenario/cesium';
import { bindSun } from './scene/sun';

export interface TwinScene {
  /** The current viewer (a new object after every rebuild). */
  readonly viewer: TwinViewer;
  /** Resolves when the current scene's layers are mounted. */
  readonly ready: Promise<void>;
  /** Called before a lost scene is torn down: let go of everything drawn into it (it must not be touched again). */
  onTearDown(listener: () => void): void;
  /** Called with the new viewer after each rebuild, once its layers are mounted (e.g. to draw the user's files again). */
  onRebuilt(listener: (viewer: TwinViewer) => void | Promise<void>): void;
  dispose(): void;
}

export function startTwinScene(container: HTMLElement, store: AppStore, manifest: Manifest, services: Omit<BindingContext, 'viewer' | 'store'>, visibleAtStart: VisibleAtStart): TwinScene {
  const listeners: Array<(viewer: TwinViewer) => void | Promise<void>> = [];
  const tearDownListeners: Array<() => void> = [];
  let viewer: TwinViewer;
  let layers: MountedLayers;
  let unpick: () => void;
  let rebuilding = false;

  const build = (): void => {
    viewer = createViewer(container, store, { onContextLost: () => queueMicrotask(rebuild) });
    layers = mountLayers({ ...services, viewer, store }, manifest, visibleAtStart);
    // Picking, measuring and the sun: what the scene does with clicks and time, bound again with every new scene.
    const unbind = [bindPicking(viewer, store), bindMeasure(viewer, store), bindSun(viewer, store), bindToolCursor(viewer, store),
      // The active scenario's proposed buildings, the drawing tool and the comparison of variants.
      mountScenarioScene({ viewer, store, scenarioPool: services.scenarioPool, imports: services.imports, layersReady: layers.ready })];
    unpick = () => unbind.forEach((u) => u());
  };

  const rebuild = (): void => {
    if (rebuilding) return;
    rebuilding = true;
    const s = store.getState();
    s.notify('warning', t(s.lang, 'error.contextRestoring'));
    // Tear down what hangs on the dead context; failures there are expected and harmless.
    for (const step of [...tearDownListeners, () => unpick(), () => layers.dispose(), () => viewer.destroy()]) {
      try {
        step();
      } catch {
        /* the context is gone: there is nothing left to free */
      }
    }
    container.replaceChildren();
    // Layers already in the store keep their visibility (and those never shown stay unloaded).
    build();
    const v = viewer;
    // After the layers: what is drawn again may sit on the terrain, which must be there to be sampled.
    void layers.ready.then(() => Promise.all(
      listeners.map((l) =>
        Promise.resolve()
          .then(() => l(v))
          .catch((err: unknown) => store.getState().notify('error', `${t(store.getState().lang, 'error.contextRestoring')} ${err instanceof Error ? err.message : String(err)}`)),
      ),
    )).then(() => {
      rebuilding = false;
      store.getState().sceneRebuilt();
    });
  };

  build();
  return {
    get viewer() {
      return viewer;
    },
    get ready() {
      return layers.ready;
    },
    onTearDown: (l) => void tearDownListeners.push(l),
    onRebuilt: (l) => void listeners.push(l),
    dispose() {
      unpick();
      layers.dispose();
      viewer.destroy();
    },
  };
}
