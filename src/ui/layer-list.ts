/** The layer list: visibility, loading state, errors, source datum and notes, per layer. */
import { counted, t } from '../i18n';
import { layerName } from '../layers/titles';
import type { Manifest } from '../../core/manifest';
import type { Epsg } from '../../core/geo/crs';
import type { ImportController } from '../layers/imported/controller';
import type { CatalogueController } from '../layers/catalogue/controller';
import { watch, type AppState, type AppStore } from '../state/store';
import type { LayerState } from '../state/types';
import { h, rerender } from './dom';
import { downloadText } from '../persist/download';
import { lazyModule } from './lazy';
import { WORKSPACE_SPECS } from '../state/workspace';

/** CRSs offered for export: the ones planners take into their GIS on either side of the border. */
const EXPORT_CRS: readonly Epsg[] = [4326, 5514, 25832, 25833, 31468, 3035];

/** Folded where the workspace has a panel of its own, open where the layers are the point (see state/workspace). */
function foldedIn(s: AppState): boolean {
  const first = WORKSPACE_SPECS[s.workspace].panels[0];
  return first !== 'layers' && first !== 'tools';
}

export function mountLayerList(root: HTMLElement, store: AppStore, manifest: Manifest, imports?: ImportController, catalogue?: CatalogueController): () => void {
  const el = h('section', { class: 'panel layers', 'aria-labelledby': 'layers-title' });
  root.append(el);
  const byId = new Map(manifest.layers.map((e) => [e.id, e]));
  // One row per layer; its source datum and notes behind a disclosure (errors and controls stay in view).
  const expanded = new Set<string>();
  let folded = foldedIn(store.getState());
  // A sensor or climate layer's controls: fetched with the layer's own code, shown when they are in.
  const sensorCode = lazyModule(store, () => import('./sensor-controls'));
  const climateCode = lazyModule(store, () => import('./climate-controls'));
  const again = () => render(store.getState());
  const render = (s: AppState) => {
    const { lang } = s;
    rerender(
      el,
      h('h2', { id: 'layers-title' },
        h('button', {
          type: 'button', class: 'fold', 'aria-expanded': String(!folded), 'aria-controls': 'layer-items', 'data-focus-key': 'layers-fold', 'data-testid': 'layers-fold',
          onclick: () => {
            folded = !folded;
            render(store.getState());
          },
        }, `${folded ? '▸' : '▾'} ${t(lang, 'layers.title')}`),
      ),
      folded ? null : h(
        'ul',
        { id: 'layer-items' },
        ...s.layerOrder.map((id) => {
          const layer = s.layers[id]!;
          const entry = byId.get(id);
          const title = layerName(lang, id, layer.title, entry?.title);
          const open = expanded.has(id);
          const details = [
            entry && entry.sourceCrs ? h('p', { class: 'datum' }, t(lang, 'layers.datum', { crs: entry.sourceCrs, vdatum: entry.sourceVerticalDatum === 'none' ? t(lang, 'datum.none') : entry.sourceVerticalDatum === 'ellipsoidal' ? t(lang, 'datum.ellipsoidal') : entry.sourceVerticalDatum })) : null,
            layer.note ? h('p', { class: 'note' }, t(lang, layer.note.key, layer.note.params)) : null,
            layer.kind === 'terrain' ? h('p', { class: 'note' }, t(lang, 'terrain.note')) : null,
          ].filter((x) => x !== null);
          return h(
            'li',
            { class: `layer status-${layer.status}`, 'data-layer': id },
            h(
              'div',
              { class: 'layer-row' },
              h(
                'label',
                {},
                h('input', { type: 'checkbox', checked: layer.visible, 'data-focus-key': `layer-${id}`, onchange: (e) => store.getState().setLayerVisible(id, (e.target as HTMLInputElement).checked) }),
                h('span', { class: 'name' }, title),
              ),
              layer.status === 'loading' ? h('progress', { class: 'loading', 'aria-label': `${title}: ${t(lang, 'layers.status.loading')}` }) : null,
              h('span', { class: 'status', 'aria-live': 'polite' }, t(lang, `layers.status.${layer.status}`)),
              feedBadge(lang, layer),
              details.length > 0
                ? h('button', {
                    type: 'button', class: 'more', 'aria-expanded': String(open), 'aria-label': t(lang, 'layers.details', { layer: title }), title: t(lang, 'layers.details', { layer: title }), 'data-focus-key': `more-${id}`,
                    onclick: () => {
                      if (open) expanded.delete(id);
                      else expanded.add(id);
                      render(store.getState());
                    },
                  }, 'i')
                : null,
            ),
            layer.status === 'error' && layer.message ? h('p', { class: 'error', role: 'alert' }, layer.message) : null,
            ...(open ? details : []),
            layer.visible && layer.opacity !== undefined
              ? h('label', { class: 'opacity' }, h('span', { 'aria-hidden': 'true' }, '◐'),
                  h('input', {
                    type: 'range', min: '0', max: '100', step: '5', value: String(Math.round(layer.opacity * 100)), 'aria-label': t(lang, 'layers.opacity', { layer: title }), 'data-focus-key': `opacity-${id}`, 'data-testid': `opacity-${id}`,
                    // Settled on release (change), not per pixel of the drag.
                    onchange: (e) => store.getState().setLayerOpacity(id, Number((e.target as HTMLInputElement).value) / 100),
                  }),
                  h('output', {}, `${Math.round(layer.opacity * 100)} %`))
              : null,
            layer.imported && imports ? importedControls(s, layer, imports) : null,
            layer.catalogue && catalogue ? catalogueControls(s, layer, catalogue) : null,
            layer.sensors && layer.visible ? (sensorCode.get(again)?.sensorControls(s, layer) ?? null) : null,
            layer.climate && layer.visible ? (climateCode.get(again)?.climateControls(s, layer) ?? null) : null,
          );
        }),
      ),
    );
  };
  render(store.getState());
  return watch(store, (s) => [s.lang, s.layers, s.layerOrder, s.workspace] as const, (v, prev) => {
    if (v[3] !== prev[3]) folded = foldedIn(store.getState());
    render(store.getState());
  });
}

/** A sensor layer whose live feed is down says so in its row, shown or hidden, not only in its controls. */
function feedBadge(lang: AppState['lang'], layer: LayerState): HTMLElement | null {
  const c = layer.sensors?.connection;
  if (layer.sensors?.service === false || (c !== 'reconnecting' && c !== 'offline')) return null;
  return h('span', { class: `feed-badge ${c}`, 'data-testid': 'sensor-feed-badge', title: t(lang, c === 'offline' ? 'timeline.feedOffline' : 'timeline.feedReconnecting') }, t(lang, `timeline.${c}`));
}

function importedControls(s: AppState, layer: LayerState, imports: ImportController): HTMLElement {
  const { lang } = s;
  const info = layer.imported!;
  const id = layer.id;
  const exportSelect = h('select', { 'aria-label': t(lang, 'import.exportAs'), 'data-focus-key': `export-crs-${id}` }, ...EXPORT_CRS.map((e) => h('option', { value: `${e}` }, `EPSG:${e}`)));
  const doExport = async () => {
    try {
      const { fileName, text } = await imports.exportLayer(id, Number(exportSelect.value) as Epsg);
      downloadText(fileName, 'application/geo+json', text);
    } catch (err) {
      s.notify('error', t(lang, 'error.import', { file: info.fileName, message: err instanceof Error ? err.message : String(err) }));
    }
  };
  return h(
    'div',
    { class: 'imported' },
    h('p', { class: 'datum' }, t(lang, 'import.detail', { format: info.format.toUpperCase(), epsg: info.epsg, features: counted(info.featureCount, 'feature'), problems: counted(info.problemCount, 'problem') })),
    layer.status === 'loading' ? h('progress', { max: 1, value: info.progress, 'aria-label': t(lang, 'import.reading', { file: info.fileName }) }) : null,
    info.outsideAreaOfUse > 0 ? h('p', { class: 'note' }, t(lang, 'import.outsideArea', { vertices: counted(info.outsideAreaOfUse, 'vertex'), epsg: info.epsg })) : null,
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

/** A catalogue layer's source, owner, licence and attribution (as text), and its removal. */
function catalogueControls(s: AppState, layer: LayerState, catalogue: CatalogueController): HTMLElement {
  const { lang } = s;
  const info = layer.catalogue!;
  const id = layer.id;
  return h('div', { class: 'imported catalogue', 'data-testid': `catalogue-layer-${id}` },
    h('p', { class: 'datum' }, t(lang, 'catalogue.source', { url: info.url.replace(/^file:/, '') })),
    info.owner || info.licence ? h('p', { class: 'datum' }, [info.owner, info.licence].filter(Boolean).join(' · ')) : null,
    info.attribution ? h('p', { class: 'datum' }, info.attribution) : null,
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'remove', 'data-focus-key': `remove-${id}`, onclick: () => catalogue.remove(id) }, t(lang, 'import.remove'))),
  );
}
