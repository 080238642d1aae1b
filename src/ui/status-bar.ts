/** The settled camera position, in the UI language's number format. */
import { formatNumber, t } from '../i18n';
import { watch, type AppStore } from '../state/store';
import { h } from './dom';

export function mountStatusBar(root: HTMLElement, store: AppStore): () => void {
  const el = h('footer', { class: 'status-bar' });
  root.append(el);
  const render = () => {
    const { camera, lang } = store.getState();
    el.textContent = camera
      ? t(lang, 'camera.position', { lat: formatNumber(lang, camera.latDeg, 4), lon: formatNumber(lang, camera.lonDeg, 4), height: formatNumber(lang, camera.heightM, 0) })
      : t(lang, 'app.loading');
  };
  render();
  return watch(store, (s) => [s.camera, s.lang] as const, render);
}
