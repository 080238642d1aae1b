/**
 * A link's analysis state applied once its layers are in: the coverage comparison (operators the dataset has,
 * band, mode, thresholds) and the heatmap's quantity and method, each checked against what the layer offers
 * (a link from another deployment may name an operator this one lacks: that part is named in a notice and the
 * rest applied). The sun study is switched on at once.
 */
import { t } from '../i18n';
import { watch, type AppState, type AppStore } from '../state/store';
import type { UrlState } from '../state/url';

/** Runs `then` once with the first value `find` gives (now, or when the store first has it). */
function once<T>(store: AppStore, find: (s: AppState) => T | undefined, then: (value: T) => void): () => void {
  const now = find(store.getState());
  if (now !== undefined) {
    then(now);
    return () => {};
  }
  const stop = watch(store, find, (value) => {
    if (value === undefined) return;
    stop();
    then(value);
  });
  return stop;
}

export function applyLinkedAnalysis(store: AppStore, link: Pick<UrlState, 'coverage' | 'sensors' | 'sun'>): () => void {
  const s = store.getState();
  if (link.sun) s.setSunStudy(true);
  const stops: Array<() => void> = [];
  const problem = (message: string) => store.getState().notify('warning', t(store.getState().lang, 'error.urlState', { message }));

  const cov = link.coverage;
  if (cov) {
    stops.push(once(store, (st) => st.layerOrder.find((id) => st.layers[id]?.coverage), (id) => {
      const info = store.getState().layers[id]!.coverage!;
      const known = new Set(info.sources.map((x) => x.id));
      const missing = [cov.a, cov.b].filter((x) => !known.has(x));
      if (missing.length > 0) problem(`operator ${missing.map((m) => `“${m}”`).join(', ')} is not in this dataset`);
      store.getState().patchCoverage(id, {
        ...(known.has(cov.a) ? { a: cov.a } : {}), ...(known.has(cov.b) ? { b: cov.b } : {}),
        bandMHz: cov.bandMHz, mode: cov.mode, coveredDbm: cov.coveredDbm, goodDbm: cov.goodDbm,
      });
    }));
  }

  const sens = link.sensors;
  if (sens) {
    stops.push(once(store, (st) => st.layerOrder.find((id) => (st.layers[id]?.sensors?.properties.length ?? 0) > 0), (id) => {
      const info = store.getState().layers[id]!.sensors!;
      if (!info.properties.includes(sens.property)) problem(`quantity “${sens.property}” is not measured here`);
      store.getState().patchSensors(id, { op: sens.op, ...(info.properties.includes(sens.property) ? { property: sens.property } : {}) });
    }));
  }
  return () => stops.forEach((f) => f());
}
