/**
 * The coverage comparison panel: what is on side A and B, how they are compared (swipe, A − B, classes), the
 * band and the path-loss model with its validity range, the thresholds, the legend in dBm, progress, proposed
 * masts, and the statistics per side of the border and per unit (sortable, CSV export, a row flies there).
 * Everything from data (operator names, file names, zone names) is text, never HTML.
 */
import { counted, formatNumber, placeName, t, type Lang } from '../i18n';
import { coverageActions } from '../layers/coverage/actions';
import { DIFF_DOMAIN_DB, filterStats, MUNICIPALITY_ROWS_SHOWN, RSRP_DOMAIN_DBM, rsrpInterpolate, sortStats, type StatsSortKey } from '../layers/coverage/description';
import { modelForBand } from '../layers/coverage/sites';
import { selectActiveMasts } from '../state/slices';
import { watch, type AppState, type AppStore } from '../state/store';
import type { CoverageLayerInfo, CoverageMode, CoverageStatsRow } from '../state/types';
import { PATH_LOSS_MODELS } from '../../core/coverage/pathloss';
import { CLASS_BOTH, CLASS_COLOURS, CLASS_NEITHER, CLASS_ONLY_A, CLASS_ONLY_B } from '../../core/coverage/compare';
import { interpolateRdBu } from 'd3-scale-chromatic';
import { h, rerender } from './dom';
import { downloadText } from '../persist/download';

const MODES: readonly CoverageMode[] = ['single', 'swipe', 'diff', 'classes'];
/** Below this many sites in the region an operator's modelled coverage is flagged as unfit for comparison. */
export const MIN_SITES_FOR_COMPARISON = 50;
const BANDS = [700, 1800, 3500] as const;
const CLASS_KEYS = [
  [CLASS_NEITHER, 'neither'],
  [CLASS_ONLY_A, 'onlyA'],
  [CLASS_ONLY_B, 'onlyB'],
  [CLASS_BOTH, 'both'],
] as const;

export function mountCoveragePanel(root: HTMLElement, store: AppStore, layerId: string): () => void {
  const el = h('section', { class: 'panel coverage', 'aria-labelledby': 'coverage-title', 'data-testid': 'coverage-panel' });
  root.append(el);
  let sort: { key: StatsSortKey; descending: boolean } = { key: 'name', descending: false };
  // The statistics' level: the sides and regions, or the municipalities (with a search over their names).
  let level: 'regions' | 'municipalities' = 'regions';
  let query = '';

  const render = (): void => {
    const s = store.getState();
    const layer = s.layers[layerId];
    const info = layer?.coverage;
    el.hidden = !info || !layer.visible;
    if (!info || el.hidden) return;
    rerender(el, ...content(s, info));
  };

  const content = (s: AppState, info: CoverageLayerInfo): Array<HTMLElement | null> => {
    const { lang } = s;
    const patch = (p: Partial<CoverageLayerInfo>) => store.getState().patchCoverage(layerId, p);
    const actions = coverageActions(layerId);
    const model = PATH_LOSS_MODELS[modelForBand(info.bandMHz)];
    const v = model.validity;
    const sourceSelect = (side: 'a' | 'b') =>
      h('label', { class: 'row' }, h('span', { class: `side ${side}` }, side.toUpperCase()), ' ',
        h('select', { 'data-focus-key': `cov-${side}`, 'data-testid': `coverage-${side}`, onchange: (e) => patch({ [side]: (e.target as HTMLSelectElement).value }) },
          ...info.sources.map((src) => h('option', { value: src.id, selected: src.id === info[side] }, `${src.label}${src.kind === 'modelled' ? ` · ${t(lang, 'coverage.sites', { sites: counted(src.sites ?? 0, 'site') })}` : ''}`)),
        ),
      );
    const threshold = (key: 'coveredDbm' | 'goodDbm') =>
      h('label', {}, t(lang, `coverage.${key}`), ' ',
        h('input', {
          type: 'number', min: -140, max: -50, step: 1, value: info[key], 'data-focus-key': `cov-${key}`, 'data-testid': `coverage-${key}`,
          onchange: (e) => {
            const n = Number((e.target as HTMLInputElement).value);
            if (Number.isFinite(n) && n >= -140 && n <= -50) patch({ [key]: n });
          },
        }), ' dBm');
    // A modelled network from a handful of crowd-sourced sites is a map of those sites, not of the network: said
    // next to the choice, so no one compares 23 Czech sites with 517 German ones as if like with like.
    const thin = (['a', 'b'] as const)
      .map((side) => info.sources.find((x) => x.id === info[side]))
      .filter((src): src is NonNullable<typeof src> => src !== undefined && src.kind === 'modelled' && (src.sites ?? 0) < MIN_SITES_FOR_COMPARISON);
    const thinNote = thin.length > 0
      ? h('p', { class: 'warning', 'data-testid': 'coverage-thin' }, t(lang, 'coverage.tooFewSites', { operators: [...new Set(thin.map((x) => `${x.label} (${x.sites ?? 0})`))].join(', '), min: MIN_SITES_FOR_COMPARISON }))
      : null;
    // The active scenario's masts: switching scenarios switches the proposed network.
    const masts = selectActiveMasts(s);
    const aIsModelled = info.sources.find((x) => x.id === info.a)?.kind === 'modelled';
    const fileInput = h('input', {
      type: 'file', hidden: true, accept: '.csv,.tif,.tiff,text/csv,image/tiff', 'data-testid': 'coverage-import-input',
      onchange: (e) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) void actions?.importGrid(file);
        (e.target as HTMLInputElement).value = '';
      },
    });
    const sitesInput = h('input', {
      type: 'file', hidden: true, accept: '.csv,text/csv', 'data-testid': 'coverage-sites-input',
      onchange: (e) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) void actions?.importSites(file);
        (e.target as HTMLInputElement).value = '';
      },
    });
    return [
      h('div', { class: 'panel-head' }, h('h2', { id: 'coverage-title' }, t(lang, 'coverage.title')), h('span', { class: 'badge modelled' }, t(lang, 'coverage.modelled'))),
      h('p', { class: 'note' }, t(lang, 'coverage.modelledNote')),
      sourceSelect('a'),
      sourceSelect('b'),
      thinNote,
      h('div', { class: 'modes', role: 'radiogroup', 'aria-label': t(lang, 'coverage.compare') },
        ...MODES.map((m) => h('button', { type: 'button', role: 'radio', 'aria-checked': m === info.mode ? 'true' : 'false', 'data-focus-key': `cov-mode-${m}`, 'data-testid': `coverage-mode-${m}`, class: m === info.mode ? 'on' : '', onclick: () => patch({ mode: m }) }, t(lang, `coverage.mode.${m}`))),
      ),
      h('label', { class: 'row' }, t(lang, 'coverage.band'), ' ',
        h('select', { 'data-focus-key': 'cov-band', 'data-testid': 'coverage-band', onchange: (e) => patch({ bandMHz: Number((e.target as HTMLSelectElement).value) }) },
          ...BANDS.map((b) => h('option', { value: b, selected: b === info.bandMHz }, `${formatNumber(lang, b, 0)} MHz`)),
        ),
      ),
      h('p', { class: 'datum', 'data-testid': 'coverage-model' },
        t(lang, 'coverage.model', { model: model.name }), ' ',
        t(lang, 'coverage.validity', {
          f: `${formatNumber(lang, v.fMHz[0], 0)}–${formatNumber(lang, v.fMHz[1], 0)} MHz`,
          d: `${formatNumber(lang, v.dM[0] / 1000, 2)}–${formatNumber(lang, v.dM[1] / 1000, 0)} km`,
          hbs: `${v.hBsM[0]}–${v.hBsM[1]} m`,
          hut: `${v.hUtM[0]}–${v.hUtM[1]} m`,
        }),
      ),
      h('p', { class: 'datum' }, t(lang, 'coverage.terrainShare', { pct: formatNumber(lang, info.demShare * 100, 0), cell: formatNumber(lang, info.cellM, 0) })),
      h('div', { class: 'row thresholds' }, threshold('coveredDbm'), threshold('goodDbm')),
      legend(lang, info),
      info.progress < 1
        ? h('div', { class: 'row' }, h('progress', { max: 1, value: info.progress, 'aria-label': t(lang, 'coverage.computing'), 'data-testid': 'coverage-progress' }),
            h('button', { type: 'button', 'data-focus-key': 'cov-cancel', onclick: () => actions?.cancel() }, t(lang, 'coverage.cancel')))
        : null,
      h('div', { class: 'row' },
        h('button', { type: 'button', 'data-focus-key': 'cov-mast', 'data-testid': 'coverage-place-mast', disabled: !aIsModelled, onclick: () => actions?.armMastPlacement(info.a) }, t(lang, 'coverage.placeMast')),
        fileInput,
        h('button', { type: 'button', 'data-focus-key': 'cov-import', 'data-testid': 'coverage-import', onclick: () => fileInput.click() }, t(lang, 'coverage.importGrid')),
        sitesInput,
        h('button', { type: 'button', 'data-focus-key': 'cov-sites', 'data-testid': 'coverage-import-sites', disabled: !aIsModelled, onclick: () => sitesInput.click() }, t(lang, 'coverage.importSites')),
      ),
      masts.length > 0
        ? h('ul', { class: 'masts', 'aria-label': t(lang, 'coverage.masts') },
            ...masts.map((m, i) => h('li', {},
              h('span', {}, m.name ?? t(lang, 'coverage.mastItem', { n: i + 1 }), ' · ', info.sources.find((x) => x.id === m.operator)?.label ?? m.operator),
              h('button', { type: 'button', 'data-focus-key': `mast-move-${m.id}`, onclick: () => actions?.armMastPlacement(m.operator, m.id) }, t(lang, 'coverage.move')),
              h('button', { type: 'button', 'data-focus-key': `mast-del-${m.id}`, onclick: () => store.getState().removeMast(m.id) }, t(lang, 'coverage.delete')),
            )))
        : null,
      statsTable(lang, info),
    ];
  };

  const statsTable = (lang: Lang, info: CoverageLayerInfo): HTMLElement => {
    const columns: ReadonlyArray<[StatsSortKey, string]> = [
      ['name', t(lang, 'coverage.col.zone')],
      ['areaKm2', t(lang, 'coverage.col.area')],
      ['coveredPctA', t(lang, 'coverage.col.coveredA')],
      ['coveredPctB', t(lang, 'coverage.col.coveredB')],
      ['meanDbmA', t(lang, 'coverage.col.meanA')],
      ['meanDbmB', t(lang, 'coverage.col.meanB')],
      ['meanDiffDb', t(lang, 'coverage.col.diff')],
    ];
    const fmt = (v: number, digits: number) => (Number.isFinite(v) ? formatNumber(lang, v, digits) : '–');
    const body = (rows: readonly CoverageStatsRow[]) =>
      sortStats(rows, sort.key, sort.descending).map((r) =>
        h('tr', {
          tabindex: 0, class: `zone group-${r.group}`, 'data-zone': `${r.group}-${r.zone}`, 'data-focus-key': `zone-${r.group}-${r.zone}`,
          onclick: () => coverageActions(layerId)?.flyToZone(r),
          onkeydown: (e) => {
            if ((e as KeyboardEvent).key === 'Enter') coverageActions(layerId)?.flyToZone(r);
          },
        },
          h('th', { scope: 'row' }, placeName(lang, r.code, r.name)),
          h('td', {}, fmt(r.areaKm2, 0)),
          h('td', {}, fmt(r.coveredPctA, 1)),
          h('td', {}, fmt(r.coveredPctB, 1)),
          h('td', {}, fmt(r.meanDbmA, 1)),
          h('td', {}, fmt(r.meanDbmB, 1)),
          h('td', {}, fmt(r.meanDiffDb, 1)),
        ),
      );
    const head = h('tr', {}, ...columns.map(([key, label]) =>
      h('th', { scope: 'col', 'aria-sort': sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none' },
        h('button', {
          type: 'button', 'data-focus-key': `sort-${key}`,
          onclick: () => {
            sort = { key, descending: sort.key === key ? !sort.descending : key !== 'name' };
            render();
          },
        }, label, sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''),
      ),
    ));
    const sides = info.stats.filter((r) => r.group === 'side');
    const units = info.stats.filter((r) => r.group === 'unit');
    const towns = info.stats.filter((r) => r.group === 'municipality');
    const matching = level === 'municipalities' ? sortStats(filterStats(towns, query), sort.key, sort.descending) : [];
    const shown = matching.slice(0, MUNICIPALITY_ROWS_SHOWN);
    const levelButton = (l: typeof level, key: 'coverage.level.regions' | 'coverage.level.municipalities') =>
      h('button', {
        type: 'button', role: 'radio', 'aria-checked': String(level === l), class: level === l ? 'on' : '', 'data-focus-key': `level-${l}`, 'data-testid': `coverage-level-${l}`,
        onclick: () => {
          level = l;
          render();
        },
      }, t(lang, key));
    return h('figure', { class: 'stats' },
      h('figcaption', {}, t(lang, 'coverage.statsTitle', { covered: info.coveredDbm })),
      towns.length > 0
        ? h('div', { class: 'modes', role: 'radiogroup', 'aria-label': t(lang, 'coverage.level') }, levelButton('regions', 'coverage.level.regions'), levelButton('municipalities', 'coverage.level.municipalities'))
        : null,
      level === 'municipalities' && towns.length > 0
        ? h('label', { class: 'search' }, t(lang, 'coverage.search'), ' ', h('input', {
            type: 'search', value: query, 'data-focus-key': 'cov-search', 'data-testid': 'coverage-search',
            oninput: (e) => {
              query = (e.target as HTMLInputElement).value;
              render();
            },
          }))
        : null,
      h('table', { 'data-testid': 'coverage-stats' },
        h('thead', {}, head),
        ...(level === 'municipalities' && towns.length > 0
          ? [h('tbody', { class: 'municipalities' }, ...body(shown))]
          : [h('tbody', { class: 'sides' }, ...body(sides)), h('tbody', { class: 'units' }, ...body(units))]),
      ),
      level === 'municipalities' && towns.length > 0
        ? h('p', { class: 'datum' }, t(lang, 'coverage.municipalitiesShown', { shown: shown.length, n: matching.length, all: towns.length }))
        : null,
      h('p', { class: 'datum' }, t(lang, 'coverage.statsNote')),
      h('button', { type: 'button', 'data-focus-key': 'cov-csv', 'data-testid': 'coverage-csv', disabled: info.stats.length === 0, onclick: () => download(coverageActions(layerId)?.statsCsv() ?? '') }, t(lang, 'coverage.exportCsv')),
    );
  };

  render();
  return watch(store, (s) => [s.lang, s.layers[layerId], selectActiveMasts(s)] as const, render);
}

function download(csv: string): void {
  // A UTF-8 byte order mark: spreadsheet programs otherwise misread "Plzeňský kraj".
  downloadText('coverage-statistics.csv', 'text/csv;charset=utf-8', '\uFEFF', csv);
}

function gradient(interpolate: (t: number) => string): string {
  const stops = Array.from({ length: 11 }, (_, i) => `${interpolate(i / 10)} ${i * 10}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

export function legend(lang: Lang, info: CoverageLayerInfo): HTMLElement {
  if (info.mode === 'classes') {
    return h('figure', { class: 'legend', 'data-testid': 'coverage-legend' },
      h('figcaption', {}, t(lang, 'coverage.legend.classes', { covered: info.coveredDbm })),
      h('ul', { class: 'classes' }, ...CLASS_KEYS.map(([cls, k]) => {
        const sw = h('span', { class: 'swatch' });
        const [r, g, b, a] = CLASS_COLOURS[cls];
        sw.style.background = `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
        return h('li', {}, sw, t(lang, `coverage.class.${k}`));
      })),
    );
  }
  if (info.mode === 'diff') {
    const bar = h('div', { class: 'bar', role: 'presentation' });
    bar.style.background = gradient(interpolateRdBu);
    return h('figure', { class: 'legend', 'data-testid': 'coverage-legend' },
      h('figcaption', {}, t(lang, 'coverage.legend.diff')),
      bar,
      h('div', { class: 'ticks' }, h('span', {}, `≤ ${formatNumber(lang, DIFF_DOMAIN_DB[0], 0)} dB (B)`), h('span', {}, '0'), h('span', {}, `≥ +${formatNumber(lang, DIFF_DOMAIN_DB[1], 0)} dB (A)`)),
    );
  }
  const [d0, d1] = RSRP_DOMAIN_DBM;
  const bar = h('div', { class: 'bar', role: 'presentation' });
  // Below the "covered" threshold the map is transparent, and so is the legend; the colours span what is left
  // of the domain exactly as the layer's colour table does.
  const start = Math.min(1, Math.max(0, (info.coveredDbm - d0) / (d1 - d0)));
  const stops = Array.from({ length: 11 }, (_, i) => {
    const f = start + ((1 - start) * i) / 10;
    return `${rsrpInterpolate(f)} ${(f * 100).toFixed(1)}%`;
  });
  bar.style.background = `linear-gradient(to right, transparent 0%, transparent ${(start * 100).toFixed(1)}%, ${stops.join(', ')})`;
  return h('figure', { class: 'legend', 'data-testid': 'coverage-legend' },
    h('figcaption', {}, t(lang, 'coverage.legend.rsrp')),
    bar,
    h('div', { class: 'ticks' }, h('span', {}, `${formatNumber(lang, d0, 0)}`), h('span', {}, `${t(lang, 'coverage.coveredShort')} ${formatNumber(lang, info.coveredDbm, 0)}`), h('span', {}, `${t(lang, 'coverage.goodShort')} ${formatNumber(lang, info.goodDbm, 0)}`), h('span', {}, `${formatNumber(lang, d1, 0)} dBm`)),
  );
}
