/** The layer list: visibility, loading state, errors, source datum and notes, per layer. */
import { t } from '../i18n';
import { layerTitle } from '../layers/titles';
import type { Manifest } from '../layers/manifest';
import { watch, type AppState, type AppStore } from '../state/store';
import { h, rerender } from './dom';

export function mountLayerList(root: HTMLElement, store: AppStore, manifest: Manifest): () => void {
  const el = h('section', { class: 'panel layers', 'aria-labelledby': 'layers-title' });
  root.append(el);
  const byId = new Map(manifest.layers.map((e) => [e.id, e]));
  const render = (s: AppState) => {
    const { lang } = s;
    rerender(
      el,
      h('h2', { id: 'layers-title' }, t(lang, 'layers.title')),
      h(
        'ul',
        {},
        ...s.layerOrder.map((id) => {
          const layer = s.layers[id]!;
          const entry = byId.get(id);
          const title = layerTitle(lang, id, entry?.title ?? id);
          return h(
            'li',
            { class: `layer status-${layer.status}`, 'data-layer': id },
            h(
              'label',
              {},
              h('input', { type: 'checkbox', checked: layer.visible, 'data-focus-key': `layer-${id}`, onchange: (e) => store.getState().setLayerVisible(id, (e.target as HTMLInputElement).checked) }),
              h('span', { class: 'name' }, title),
              h('span', { class: 'status', 'aria-live': 'polite' }, t(lang, `layers.status.${layer.status}`)),
            ),
            layer.status === 'error' && layer.message ? h('p', { class: 'error', role: 'alert' }, layer.message) : null,
            entry && entry.sourceCrs ? h('p', { class: 'datum' }, t(lang, 'layers.datum', { crs: entry.sourceCrs, vdatum: entry.sourceVerticalDatum === 'none' ? t(lang, 'datum.none') : entry.sourceVerticalDatum })) : null,
            layer.note ? h('p', { class: 'note' }, t(lang, layer.note.key, layer.note.params)) : null,
            layer.kind === 'terrain' ? h('p', { class: 'note' }, t(lang, 'terrain.note')) : null,
          );
        }),
      ),
    );
  };
  render(store.getState());
  return watch(store, (s) => [s.lang, s.layers, s.layerOrder] as const, () => render(store.getState()));
}
