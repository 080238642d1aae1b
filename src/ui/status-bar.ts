/** The settled camera position, in the UI language's number format, and "Copy link" for the view as it is. */
import { formatNumber, t } from '../i18n';
import { watch, type AppStore } from '../state/store';
import { h } from './dom';

/**
 * The page's address carries the whole view (src/persist/url-sync.ts): camera, layers, time, workspace and the
 * analysis shown. Copied to the clipboard; where the browser refuses, the link is shown to be copied by hand.
 */
async function copyLink(store: AppStore): Promise<void> {
  const href = location.href;
  try {
    await navigator.clipboard.writeText(href);
    store.getState().notify('info', t(store.getState().lang, 'link.copied'));
  } catch {
    store.getState().notify('info', t(store.getState().lang, 'link.copyByHand', { url: href }));
  }
}

export function mountStatusBar(root: HTMLElement, store: AppStore): () => void {
  const el = h('footer', { class: 'status-bar' });
  const position = h('span', { class: 'position' });
  const copy = h('button', { type: 'button', class: 'copy-link', 'data-testid': 'copy-link', onclick: () => void copyLink(store) });
  el.append(position, copy);
  root.append(el);
  const render = () => {
    const { camera, lang } = store.getState();
    position.textContent = camera
      ? t(lang, 'camera.position', { lat: formatNumber(lang, camera.latDeg, 4), lon: formatNumber(lang, camera.lonDeg, 4), height: formatNumber(lang, camera.heightM, 0) })
      : t(lang, 'app.loading');
    copy.textContent = t(lang, 'link.copy');
    copy.title = t(lang, 'link.copyHint');
  };
  render();
  return watch(store, (s) => [s.camera, s.lang] as const, render);
}
