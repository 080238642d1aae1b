/** Every data source and licence in one panel; the button stays on screen. */
import { isMessageKey, t, type MessageKey } from '../i18n';
import { layerTitle } from '../layers/titles';
import type { Manifest } from '../../core/manifest';
import { watch, type AppStore } from '../state/store';
import { h, rerender } from './dom';

export interface Attribution {
  /** A layer id or built-in key: the title in the UI language where the twin has one. */
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly licence: string;
  readonly attribution: string;
}

/** Sources the app uses beyond the manifest's layers. */
export const BUILT_IN_ATTRIBUTIONS: readonly Attribution[] = [
  { id: 'natural-earth', title: 'Natural Earth II (base imagery)', source: 'Natural Earth, shipped with CesiumJS', licence: 'public domain', attribution: 'Natural Earth' },
  { id: 'egm96', title: 'EGM96 geoid (heights above the ellipsoid)', source: 'NGA, via PROJ data', licence: 'public domain', attribution: 'EGM96: U.S. National Geospatial-Intelligence Agency' },
  { id: 'beta2007', title: 'BETA2007 (DHDN ↔ ETRS89 grid)', source: 'Arbeitsgemeinschaft der Vermessungsverwaltungen (AdV), via PROJ data', licence: 'freely redistributable', attribution: 'BETA2007 © AdV' },
  { id: 'cesium', title: 'CesiumJS', source: 'Cesium GS, Inc.', licence: 'Apache-2.0', attribution: 'CesiumJS' },
];

export function attributions(manifest: Manifest): Attribution[] {
  return [...manifest.layers.map(({ id, title, source, licence, attribution }) => ({ id, title, source, licence, attribution })), ...BUILT_IN_ATTRIBUTIONS];
}

/** Licences with a name in the UI language; the others (CC BY 4.0, ODbL 1.0 …) are names in every language. */
const LICENCE_KEYS: Readonly<Record<string, MessageKey>> = { 'public domain': 'licence.publicDomain', 'freely redistributable': 'licence.redistributable' };

/**
 * Credits and provenance are quoted as their owners wrote them (a licensor prescribes its credit line), so they
 * keep their own language, marked for screen readers and translation tools.
 */
function quoted(tag: 'span' | 'small', text: string): HTMLElement {
  const lang = /Datenquelle|Datenbasis|Vermessungsverwaltung|Arbeitsgemeinschaft/.test(text) ? 'de' : /^Zdroj:|odvozené/.test(text) ? 'cs' : 'en';
  return h(tag, { lang, translate: 'no' }, text);
}

export function mountAttribution(root: HTMLElement, store: AppStore, manifest: Manifest): () => void {
  const button = h('button', { type: 'button', class: 'attribution-button', 'aria-haspopup': 'dialog', onclick: () => store.getState().setAttributionOpen(true) });
  const panel = h('section', { class: 'panel attribution', role: 'dialog', 'aria-labelledby': 'attr-title' });
  root.append(button, panel);
  const builtIn = attributions(manifest);
  const render = () => {
    const { lang, attributionOpen, layers, layerOrder } = store.getState();
    // Layers the user added from a service or a file carry their owner's credit, as the service gave it.
    const added = layerOrder.map((id) => layers[id]).filter((l) => l?.catalogue).map((l): Attribution => ({
      id: l!.id, title: l!.title ?? l!.id, source: l!.catalogue!.owner ?? l!.catalogue!.url.replace(/^file:/, ''), licence: l!.catalogue!.licence ?? '', attribution: l!.catalogue!.attribution ?? '',
    }));
    const list = [...builtIn.slice(0, manifest.layers.length), ...added, ...builtIn.slice(manifest.layers.length)];
    button.textContent = t(lang, 'attribution.button');
    button.setAttribute('aria-expanded', String(attributionOpen));
    panel.hidden = !attributionOpen;
    rerender(
      panel,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'attr-title' }, t(lang, 'attribution.title')),
        h('button', { type: 'button', class: 'close', 'aria-label': t(lang, 'attribution.close'), onclick: () => store.getState().setAttributionOpen(false) }, '×'),
      ),
      h('ul', {}, ...list.map((a) => {
        const titleKey = `attribution.title.${a.id}`;
        const licenceKey = LICENCE_KEYS[a.licence];
        return h('li', {},
          h('strong', {}, isMessageKey(titleKey) ? t(lang, titleKey) : layerTitle(lang, a.id, a.title)),
          quoted('span', a.attribution),
          h('small', {}, quoted('small', a.source), ' · ', licenceKey ? t(lang, licenceKey) : quoted('small', a.licence)),
        );
      })),
    );
  };
  render();
  return watch(store, (s) => [s.lang, s.attributionOpen, s.layerOrder] as const, render);
}
