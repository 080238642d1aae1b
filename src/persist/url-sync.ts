/** Keep the URL fragment in step with the store's settled view, so a copied link restores it. */
import { watch, type AppStore } from '../state/store';
import { encodeUrlState } from '../state/url';
import type { AppState } from '../state/store';

/**
 * Only what the link carries: a layer's progress or status must not rewrite the URL (Chromium throttles a page
 * that calls replaceState hundreds of times, and every call costs main-thread time).
 */
function linkState(s: AppState): string {
  const hiddenLayers = s.layerOrder.filter((id) => s.layers[id]?.visible === false && s.layers[id]?.kind !== 'imported' && s.layers[id]?.kind !== 'catalogue');
  // The time only when it is not following the present; whole seconds, so playback does not rewrite it per frame.
  const timeIso = s.live ? undefined : new Date(Math.floor(Date.parse(s.timeIso) / 1000) * 1000).toISOString();
  // An open story that is saved in the link's browser: the link reopens it at the slide shown.
  const storyId = s.storyId ?? undefined;
  // The analysis on screen: the coverage comparison and the heatmap's quantity, once their layers are in.
  const layers = s.layerOrder.map((id) => s.layers[id]);
  const cov = layers.find((l) => l?.coverage && l.visible)?.coverage;
  const sens = layers.find((l) => l?.sensors && l.visible)?.sensors;
  return encodeUrlState({
    workspace: s.workspace, camera: s.camera ?? undefined, hiddenLayers, lang: s.lang, timeIso, lite: s.lite, storyId, slideIndex: storyId ? s.slideIndex : undefined, kiosk: s.kiosk, scenarioId: s.activeScenarioId ?? undefined,
    coverage: cov ? { a: cov.a, b: cov.b, bandMHz: cov.bandMHz, mode: cov.mode, coveredDbm: cov.coveredDbm, goodDbm: cov.goodDbm } : undefined,
    sensors: sens ? { property: sens.property, op: sens.op } : undefined,
    sun: s.sunStudy,
  });
}

export function syncUrl(store: AppStore): () => void {
  return watch(store, linkState, (fragment) => history.replaceState(null, '', `#${fragment}`));
}
