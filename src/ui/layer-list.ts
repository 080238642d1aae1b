/** The layer list: visibility, loading state, errors, source datum and notes, per layer. */
import { t } from '../i18n';
import { layerTitle } from '../layers/titles';
import type { Manifest } from '../../core/manifest';
import type { Epsg } from '../../core/geo/crs';
import type { ImportController } from '../layers/imported/controller';
import { watch, type AppState, type AppStore } from '../state/store';
import type { LayerState } from '../state/types';
import { h, rerender } from './dom';
import { sensorControls } from './sensor-controls';

/** CRSs offered for export: the ones planners take into their GIS on either side of the border. */
const EXPORT_CRS: readonly Epsg[] = [4326, 5514, 25832, 25833, 31468, 3035];

export function mountLayerList(root: HTMLElement, store: AppStore, manifest: Manifest, imports?: ImportController): () => void {
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
          const title = layer.title ?? layerTitle(lang, id, entry?.title ?? id);
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
            entry && entry.sourceCrs ? h('p', { class: 'datum' }, t(lang, 'layers.datum', { crs: entry.sourceCrs, vdatum: entry.sourceVerticalDatum === 'none' ? t(lang, 'datum.none') : entry.sourceVerticalDatum === 'ellipsoidal' ? t(lang, 'datum.ellipsoidal') : entry.sourceVerticalDatum })) : null,
            layer.note ? h('p', { class: 'note' }, t(lang, layer.note.key, layer.note.params)) : null,
            layer.kind === 'terrain' ? h('p', { class: 'note' }, t(lang, 'terrain.note')) : null,
            layer.imported && imports ? importedControls(s, layer, imports) : null,
            layer.sensors ? sensorControls(s, layer) : null,
          );
        }),
      ),
    );
  };
  render(store.getState());
  return watch(store, (s) => [s.lang, s.layers, s.layerOrder] as const, () => render(store.getState()));
}

function importedControls(s: AppState, layer: LayerState, imports: ImportController): HTMLElement {
  const { lang } = s;
  const info = layer.imported!;
  const id = layer.id;
  const exportSelect = h('select', { 'aria-label': t(lang, 'import.exportAs'), 'data-focus-key': `export-crs-${id}` }, ...EXPORT_CRS.map((e) => h('option', { value: `${e}` }, `EPSG:${e}`)));
  const doExport = async () => {
    try {
      const { fileName, text } = await imports.exportLayer(id, Number(exportSelect.value) as Epsg);
      const url = URL.createObjectURL(new Blob([text], { type: 'application/geo+json' }));
      const a = h('a', { href: url, download: fileName });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      s.notify('error', t(lang, 'error.import', { file: info.fileName, message: err instanceof Error ? err.message : String(err) }));
    }
  };
  return h(
    'div',
    { class: 'imported' },
    h('p', { class: 'datum' }, t(lang, 'import.detail', { format: info.format.toUpperCase(), epsg: info.epsg, count: info.featureCount, problems: info.problemCount })),
    layer.status === 'loading' ? h('progress', { max: 1, value: info.progress, 'aria-label': t(lang, 'import.reading', { file: info.fileName }) }) : null,
    info.outsideAreaOfUse > 0 ? h('p', { class: 'note' }, t(lang, 'import.outsideArea', { count: info.outsideAreaOfUse, epsg: info.epsg })) : null,
    layer.status === 'ready'
      ? h(
          'div',
          { class: 'row' },
          h('label', {}, t(lang, 'import.styleBy'), ' ',
            h('select', { 'data-focus-key': `style-${id}`, onchange: (e) => imports.setStyle(id, (e.target as HTMLSelectElement).value || null) },
              h('option', { value: '', selected: info.styleBy === null }, t(lang, 'import.styleNone')),
              ...info.columns.map((c) => h('option', { value: c, selected: info.styleBy === c }, c)),
            ),
          ),
        )
      : null,
    layer.status === 'ready'
      ? h('div', { class: 'row' }, exportSelect, h('button', { type: 'button', 'data-focus-key': `export-${id}`, onclick: () => void doExport() }, t(lang, 'import.export')))
      : null,
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'remove', 'data-focus-key': `remove-${id}`, onclick: () => imports.remove(id) }, t(lang, 'import.remove'))),
  );
}
