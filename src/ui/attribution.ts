/** Every data source and licence in one panel; the button stays on screen. */
import { t } from '../i18n';
import type { Manifest } from '../layers/manifest';
import { watch, type AppStore } from '../state/store';
import { h, rerender } from './dom';

export interface Attribution {
  readonly title: string;
  readonly source: string;
  readonly licence: string;
  readonly attribution: string;
}

/** Sources the app uses beyond the manifest's layers. */
export const BUILT_IN_ATTRIBUTIONS: readonly Attribution[] = [
  { title: 'Natural Earth II (base imagery)', source: 'Natural Earth, shipped with CesiumJS', licence: 'public domain', attribution: 'Natural Earth' },
  { title: 'EGM96 geoid (heights above the ellipsoid)', source: 'NGA, via PROJ data', licence: 'public domain', attribution: 'EGM96: U.S. National Geospatial-Intelligence Agency' },
  { title: 'BETA2007 (DHDN ↔ ETRS89 grid)', source: 'Arbeitsgemeinschaft der Vermessungsverwaltungen (AdV), via PROJ data', licence: 'freely redistributable', attribution: 'BETA2007 © AdV' },
  { title: 'CesiumJS', source: 'Cesium GS, Inc.', licence: 'Apache-2.0', attribution: 'CesiumJS' },
];

export function attributions(manifest: Manifest): Attribution[] {
  return [...manifest.layers.map(({ title, source, licence, attribution }) => ({ title, source, licence, attribution })), ...BUILT_IN_ATTRIBUTIONS];
}

export function mountAttribution(root: HTMLElement, store: AppStore, manifest: Manifest): () => void {
  const button = h('button', { type: 'button', class: 'attribution-button', 'aria-haspopup': 'dialog', onclick: () => store.getState().setAttributionOpen(true) });
  const panel = h('section', { class: 'panel attribution', role: 'dialog', 'aria-labelledby': 'attr-title' });
  root.append(button, panel);
  const list = attributions(manifest);
  const render = () => {
    const { lang, attributionOpen } = store.getState();
    button.textContent = t(lang, 'attribution.button');
    button.setAttribute('aria-expanded', String(attributionOpen));
    panel.hidden = !attributionOpen;
    rerender(
      panel,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'attr-title' }, t(lang, 'attribution.title')),
        h('button', { type: 'button', class: 'close', 'aria-label': t(lang, 'attribution.close'), onclick: () => store.getState().setAttributionOpen(false) }, '×'),
      ),
      h('ul', {}, ...list.map((a) => h('li', {}, h('strong', {}, a.title), h('span', {}, a.attribution), h('small', {}, `${a.source} · ${a.licence}`)))),
    );
  };
  render();
  return watch(store, (s) => [s.lang, s.attributionOpen] as const, render);
}
