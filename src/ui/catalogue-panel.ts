/**
 * The catalogue: add a layer from a map service by URL (WMS and WMTS list their layers first), from one of the
 * region's official services, or from a KML, KMZ, CZML or GPX file. Everything shown from a service (titles,
 * owners, messages) is text, never HTML. Code fetched when the dialog is first opened.
 */
import { CATALOGUE_KINDS, checkServiceUrl, guessKind, sourceOrigin, type CatalogueKind, type CatalogueSource, type TilingCrs } from '../../core/catalogue/source';
import type { Offer } from '../../core/catalogue/capabilities';
import { PRESETS } from '../../core/catalogue/presets';
import { t } from '../i18n';
import type { CatalogueController } from '../layers/catalogue/controller';
import type { AppStore } from '../state/store';
import { h, rerender } from './dom';

const KIND_LABEL: Record<CatalogueKind, string> = { wms: 'WMS', wmts: 'WMTS', xyz: 'XYZ / TMS', '3dtiles': '3D Tiles', geojson: 'GeoJSON', czml: 'CZML', kml: 'KML / KMZ', gpx: 'GPX' };

/** `openFile`: the importer's file picker, which reads every format (KML, KMZ, CZML and GPX come back here). */
export function mountCataloguePanel(store: AppStore, catalogue: CatalogueController, openFile?: () => void): { open(): void; dispose(): void } {
  const dialog = h('dialog', { class: 'panel import-dialog catalogue-dialog', 'aria-labelledby': 'catalogue-title', 'data-testid': 'catalogue-dialog' });
  // Over the page, not inside the dock (which restyles its panels).
  document.body.append(dialog);
  let offer: Offer | null = null;
  let error = '';
  let busy = '';
  let url = '';
  let kind: CatalogueKind | 'auto' = 'auto';

  const fail = (err: unknown) => {
    busy = '';
    error = err instanceof Error ? err.message : String(err);
    render();
  };
  const added = (p: Promise<string>) => {
    void p.then(() => dialog.close(), fail);
  };

  const read = () => {
    error = '';
    offer = null;
    const checked = checkServiceUrl(url);
    if ('problem' in checked) return fail(new Error(checked.problem));
    const k = kind === 'auto' ? guessKind(checked.url) : kind;
    if (!k) return fail(new Error(t(store.getState().lang, 'catalogue.unknownKind')));
    if (k === 'wms' || k === 'wmts') {
      busy = t(store.getState().lang, 'catalogue.reading', { url: checked.url });
      render();
      void catalogue.read(k, checked.url).then((o) => {
        busy = '';
        offer = o;
        if (o.layers.length === 0) error = t(store.getState().lang, 'catalogue.noLayers');
        render();
      }, fail);
      return;
    }
    const title = decodeURIComponent(new URL(checked.url).pathname.split('/').filter(Boolean).pop() ?? checked.url);
    added(catalogue.add({ kind: k, url: checked.url, title }));
  };

  const offerItem = (source: CatalogueSource, unusable: string | null) => {
    const { lang } = store.getState();
    let crs: TilingCrs = source.crs ?? 'EPSG:3857';
    return h('li', { class: 'offer', 'data-testid': 'catalogue-offer', 'data-layer': source.layer ?? '' },
      h('span', { class: 'name' }, source.title, source.layer && source.layer !== source.title ? ` (${source.layer})` : ''),
      unusable ? h('span', { class: 'datum' }, ` ${unusable}`) : null,
      source.kind === 'wms' && !unusable
        ? h('label', {}, ` ${t(lang, 'catalogue.crs')} `,
            h('select', { 'data-testid': 'catalogue-crs', onchange: (e) => (crs = (e.target as HTMLSelectElement).value as TilingCrs) },
              ...(['EPSG:3857', 'EPSG:4326'] as const).map((c) => h('option', { value: c, selected: c === crs }, c))))
        : null,
      h('button', { type: 'button', 'data-testid': 'catalogue-add', disabled: unusable !== null, onclick: () => added(catalogue.add({ ...source, crs: source.kind === 'wms' ? crs : source.crs })) }, t(lang, 'catalogue.add')),
    );
  };

  const presetItem = (p: CatalogueSource) => {
    const { lang } = store.getState();
    const allowed = catalogue.allowed(p.url);
    const offline = !navigator.onLine;
    const why = !allowed ? t(lang, 'catalogue.presetNotAllowed') : offline ? t(lang, 'catalogue.offline') : '';
    return h('li', { class: 'preset', 'data-testid': 'catalogue-preset', 'data-preset': p.presetId ?? '' },
      h('div', { class: 'row' },
        h('strong', {}, p.title), ' ',
        h('span', { class: 'badge' }, `${KIND_LABEL[p.kind]} · ${t(lang, 'catalogue.online')}`),
        h('button', { type: 'button', 'data-testid': 'catalogue-preset-add', disabled: why !== '', title: why, onclick: () => added(catalogue.add(p)) }, t(lang, 'catalogue.add'))),
      h('div', { class: 'datum' }, `${t(lang, 'catalogue.owner')}: ${p.owner ?? ''} · ${t(lang, 'catalogue.licence')}: ${p.licence ?? ''} · ${p.attribution ?? ''}`),
      why ? h('div', { class: 'datum warn' }, why, ` (${sourceOrigin(p) ?? ''})`) : null,
    );
  };

  const fileInput = h('input', {
    type: 'file', hidden: true, accept: '.kml,.kmz,.czml,.gpx', 'data-testid': 'catalogue-file',
    onchange: (e) => {
      const input = e.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = '';
      if (file) added(catalogue.addFile(file));
    },
  });

  const render = () => {
    const { lang } = store.getState();
    rerender(dialog,
      h('h2', { id: 'catalogue-title' }, t(lang, 'catalogue.title')),
      h('form', { class: 'row catalogue-form', onsubmit: (e) => { e.preventDefault(); read(); } },
        h('label', { for: 'catalogue-url' }, t(lang, 'catalogue.url')),
        h('input', { id: 'catalogue-url', type: 'url', value: url, placeholder: 'https://…/wms', 'data-testid': 'catalogue-url', oninput: (e) => (url = (e.target as HTMLInputElement).value) }),
        h('label', {}, t(lang, 'catalogue.kind'), ' ',
          h('select', { 'data-testid': 'catalogue-kind', onchange: (e) => (kind = (e.target as HTMLSelectElement).value as CatalogueKind | 'auto') },
            h('option', { value: 'auto', selected: kind === 'auto' }, t(lang, 'catalogue.auto')),
            ...CATALOGUE_KINDS.map((k) => h('option', { value: k, selected: k === kind }, KIND_LABEL[k])))),
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'catalogue-read', disabled: busy !== '' }, t(lang, 'catalogue.read'))),
      busy ? h('p', { class: 'datum', role: 'status' }, busy) : null,
      error ? h('p', { class: 'error', role: 'alert', 'data-testid': 'catalogue-error' }, error) : null,
      offer ? h('div', {}, h('h3', {}, offer.serviceTitle), h('ul', { class: 'offers' }, ...offer.layers.map((l) => offerItem(l.source, l.unusable)))) : null,
      h('div', { class: 'row' }, fileInput, h('button', {
        type: 'button', 'data-testid': 'catalogue-open-file',
        onclick: () => {
          if (!openFile) return fileInput.click();
          dialog.close();
          openFile();
        },
      }, t(lang, 'catalogue.file'))),
      h('h3', {}, t(lang, 'catalogue.presets')),
      h('ul', { class: 'presets' }, ...PRESETS.map(presetItem)),
      h('div', { class: 'actions' }, h('button', { type: 'button', 'data-testid': 'catalogue-close', onclick: () => dialog.close() }, t(lang, 'catalogue.close'))),
    );
  };

  return {
    open() {
      error = '';
      render();
      if (!dialog.open) dialog.showModal();
    },
    dispose: () => dialog.remove(),
  };
}
