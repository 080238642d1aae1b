/** Keep the URL fragment in step with the store's settled view, so a copied link restores it. */
import { watch, type AppStore } from '../state/store';
import { encodeUrlState } from '../state/url';

export function syncUrl(store: AppStore): () => void {
  return watch(
    store,
    (s) => [s.camera, s.layers, s.lang, s.lite] as const,
    () => {
      const s = store.getState();
      const hiddenLayers = Object.values(s.layers).filter((l) => !l.visible).map((l) => l.id);
      const fragment = encodeUrlState({ camera: s.camera ?? undefined, hiddenLayers, lang: s.lang, lite: s.lite });
      history.replaceState(null, '', `#${fragment}`);
    },
  );
}
