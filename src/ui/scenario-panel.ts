/**
 * The scenario panel for planners: which scenario is shown (today's state, a scenario or one of its variants),
 * make, rename, branch and delete scenarios, the tools (draw a building, place a mast, mark the selected
 * building to be demolished), the scenario's objects with their height, storeys and roof, moved, turned or
 * deleted, undo and redo (also Ctrl+Z and Ctrl+Shift+Z: ui/undo-keys.ts), two variants side by side, their
 * metrics, and export as GeoJSON or CityJSON in a chosen CRS, and import. Names come from users and files: text
 * only, never HTML.
 */
import { openShareBox } from './share-box';
import { scenarioFamily, shareDocument } from '../state/share';
import type { Epsg } from '../../core/geo/crs';
import { formatNumber, t, type Lang } from '../i18n';
import { coverageActions } from '../layers/coverage/actions';
import { scenarioActions } from '../layers/scenario/actions';
import { scenarioMetrics, type ScenarioMetrics } from '../layers/scenario/description';
import type { ScenarioFileFormat } from '../layers/scenario/exchange';
import { FEATURE_ID_PATTERN, LIMITS, ROOF_FORMS, type ProposedBuilding, type RoofForm, type Scenario } from '../state/scenario';
import { selectActiveScenario } from '../state/slices';
import { watch, type AppState, type AppStore } from '../state/store';
import type { ScenarioMast } from '../state/types';
import { roofPlan } from '../../core/scenario/roof';
import { localRing } from '../state/scenario';
import { h, rerender } from './dom';
import { downloadText } from '../persist/download';

/** The CRSs a planner exchanges scenarios in: world, Czech cadastre, Bavarian survey. */
const EXPORT_CRS: ReadonlyArray<readonly [Epsg, string]> = [
  [4326, 'WGS 84 (EPSG:4326)'],
  [5514, 'S-JTSK / Křovák East North (EPSG:5514)'],
  [25832, 'ETRS89 / UTM 32N (EPSG:25832)'],
];
/** The file formats a scenario is exported in: GeoJSON for GIS, CityJSON for the 3D city models. */
const EXPORT_FORMATS: ReadonlyArray<readonly [ScenarioFileFormat, string]> = [
  ['geojson', 'GeoJSON'],
  ['cityjson', 'CityJSON 2.0'],
];
const STEP_M = 5;
const TURN_DEG = 15;

export function mountScenarioPanel(root: HTMLElement, store: AppStore, coverageLayerId: string | null): () => void {
  const st = () => store.getState();
  const el = h('section', { class: 'panel scenario', 'aria-labelledby': 'scenario-title', 'data-testid': 'scenario-panel' });
  root.append(el);
  let exportEpsg: Epsg = 4326;
  let exportFormat: ScenarioFileFormat = 'geojson';
  let compareSel: { a: string; b: string } | null = null;
  // Open in the planning workspace; elsewhere folded to its heading until opened.
  let open = store.getState().workspace === 'plan';

  const render = (): void => {
    rerender(el, ...content(store.getState()));
  };

  const content = (s: AppState): Array<HTMLElement | null> => {
    const { lang } = s;
    const active = selectActiveScenario(s);
    const tool = s.scenarioTool;
    const actions = scenarioActions();
    const coverage = coverageLayerId ? s.layers[coverageLayerId]?.coverage : undefined;
    const mastOperator = coverage && coverage.sources.find((x) => x.id === coverage.a)?.kind === 'modelled' ? coverage.a : null;
    const sel = s.selection;
    const selectedId = sel?.properties.find(([k]) => k === 'id')?.[1];
    const demolishable = sel !== null && s.layers[sel.layerId]?.kind === 'buildings' && selectedId !== undefined && FEATURE_ID_PATTERN.test(selectedId);
    const parentName = (sc: Scenario) => (sc.parentId ? s.scenarios.find((x) => x.id === sc.parentId)?.name : undefined);

    const list = h('label', { class: 'row' }, t(lang, 'scenario.shown'), ' ',
      h('select', {
        'data-focus-key': 'sc-active', 'data-testid': 'scenario-select',
        onchange: (e) => st().setActiveScenario((e.target as HTMLSelectElement).value || null),
      },
        h('option', { value: '', selected: active === null }, t(lang, 'scenario.none')),
        ...s.scenarios.map((sc) => {
          const parent = parentName(sc);
          return h('option', { value: sc.id, selected: sc.id === active?.id }, parent ? `${sc.name} (${t(lang, 'scenario.variantOf', { name: parent })})` : sc.name);
        }),
      ),
    );

    const manage = h('div', { class: 'row' },
      h('button', {
        type: 'button', 'data-focus-key': 'sc-new', 'data-testid': 'scenario-new',
        onclick: () => st().createScenario(t(lang, 'scenario.defaultName', { n: st().scenarios.length + 1 })),
      }, t(lang, 'scenario.new')),
      h('button', {
        type: 'button', 'data-focus-key': 'sc-branch', 'data-testid': 'scenario-branch', disabled: !active,
        onclick: () => {
          if (!active) return;
          const siblings = st().scenarios.filter((x) => x.parentId === active.id).length;
          st().branchScenario(active.id, t(lang, 'scenario.variantName', { name: active.name, letter: String.fromCharCode(66 + siblings) }));
        },
      }, t(lang, 'scenario.branch')),
      h('button', { type: 'button', 'data-focus-key': 'sc-delete', 'data-testid': 'scenario-delete', disabled: !active, onclick: () => active && st().deleteScenario(active.id) }, t(lang, 'scenario.delete')),
    );

    const rename = active
      ? h('label', { class: 'row' }, t(lang, 'scenario.name'), ' ',
          h('input', {
            type: 'text', value: active.name, maxlength: LIMITS.nameChars, 'data-focus-key': 'sc-name', 'data-testid': 'scenario-name',
            onchange: (e) => st().renameScenario(active.id, (e.target as HTMLInputElement).value),
          }))
      : null;

    const tools = h('div', { class: 'row sc-tools', role: 'group', 'aria-label': t(lang, 'scenario.tools') },
      h('button', {
        type: 'button', 'data-focus-key': 'sc-draw', 'data-testid': 'scenario-draw', 'aria-pressed': tool === 'draw-building' ? 'true' : 'false',
        onclick: () => st().setScenarioTool(tool === 'draw-building' ? 'none' : 'draw-building'),
      }, t(lang, 'scenario.drawBuilding')),
      h('button', {
        type: 'button', 'data-focus-key': 'sc-mast', 'data-testid': 'scenario-mast', disabled: !mastOperator || !coverageLayerId,
        title: mastOperator ? t(lang, 'scenario.placeMastHint', { operator: coverage?.sources.find((x) => x.id === mastOperator)?.label ?? mastOperator }) : undefined,
        onclick: () => mastOperator && coverageLayerId && coverageActions(coverageLayerId)?.armMastPlacement(mastOperator),
      }, t(lang, 'scenario.placeMast')),
      h('button', {
        type: 'button', 'data-focus-key': 'sc-demolish', 'data-testid': 'scenario-demolish', disabled: !demolishable,
        title: demolishable ? undefined : t(lang, 'scenario.demolishHint'),
        onclick: () => sel && selectedId && st().markDemolished(sel.layerId, selectedId),
      }, t(lang, 'scenario.demolish')),
    );
    const drawing = tool === 'draw-building'
      ? h('div', { class: 'row drawing', role: 'status' },
          h('span', { class: 'hint' }, t(lang, 'scenario.drawHint', { n: actions?.drawnCorners() ?? 0 })),
          h('button', { type: 'button', 'data-focus-key': 'sc-finish', 'data-testid': 'scenario-finish', onclick: () => actions?.finishDrawing() }, t(lang, 'scenario.finish')),
          h('button', { type: 'button', 'data-focus-key': 'sc-cancel', onclick: () => actions?.cancelDrawing() }, t(lang, 'scenario.cancel')),
        )
      : null;

    const history = h('div', { class: 'row' },
      h('button', { type: 'button', 'data-focus-key': 'sc-undo', 'data-testid': 'scenario-undo', 'aria-keyshortcuts': 'Control+Z', disabled: s.scenarioHistory.past.length === 0, onclick: () => st().undo() }, `↶ ${t(lang, 'scenario.undo')}`),
      h('button', { type: 'button', 'data-focus-key': 'sc-redo', 'data-testid': 'scenario-redo', 'aria-keyshortcuts': 'Control+Shift+Z', disabled: s.scenarioHistory.future.length === 0, onclick: () => st().redo() }, `↷ ${t(lang, 'scenario.redo')}`),
    );

    const head = h('div', { class: 'panel-head' },
      h('h2', { id: 'scenario-title' },
        h('button', {
          type: 'button', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': 'scenario-body', 'data-focus-key': 'sc-open', 'data-testid': 'scenario-toggle',
          onclick: () => {
            open = !open;
            render();
          },
        }, `${open ? '▾' : '▸'} ${t(lang, 'scenario.title')}`)),
      h('span', { class: 'badge proposed' }, t(lang, 'scenario.proposed')));
    if (!open) return [head];
    return [
      head,
      list,
      manage,
      rename,
      tools,
      drawing,
      history,
      active ? objectList(lang, active) : null,
      compareBlock(s),
      metricsBlock(s),
      exchange(s),
    ];
  };

  const moveButtons = (lang: Lang, id: string, turn: boolean): HTMLElement[] => {
    const b = (key: string, label: string, aria: Parameters<typeof t>[1], f: () => void) =>
      h('button', { type: 'button', class: 'icon', 'data-focus-key': `${key}-${id}`, 'aria-label': t(lang, aria), title: t(lang, aria), onclick: f }, label);
    return [
      b('n', '↑', 'scenario.moveN', () => st().moveObject(id, 0, STEP_M)),
      b('s', '↓', 'scenario.moveS', () => st().moveObject(id, 0, -STEP_M)),
      b('w', '←', 'scenario.moveW', () => st().moveObject(id, -STEP_M, 0)),
      b('e', '→', 'scenario.moveE', () => st().moveObject(id, STEP_M, 0)),
      ...(turn ? [b('l', '⟲', 'scenario.rotateLeft', () => st().rotateObject(id, TURN_DEG)), b('r', '⟳', 'scenario.rotateRight', () => st().rotateObject(id, -TURN_DEG))] : []),
    ];
  };

  const buildingItem = (lang: Lang, b: ProposedBuilding): HTMLElement => {
    const num = (key: 'heightM' | 'storeys', label: Parameters<typeof t>[1], [min, max]: readonly [number, number], step: number) =>
      h('label', {}, t(lang, label), ' ',
        h('input', {
          type: 'number', min, max, step, value: b[key], 'data-focus-key': `${key}-${b.id}`, 'data-testid': `scenario-${key}`,
          onchange: (e) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (Number.isFinite(v) && v >= min && v <= max && (key !== 'storeys' || Number.isInteger(v))) st().updateBuilding(b.id, { [key]: v });
            else render();
          },
        }));
    const plan = roofPlan(localRing(b.footprint).xy, b.heightM, b.roof);
    return h('li', { class: 'object building', 'data-object': b.id },
      h('span', { class: 'object-name' }, b.name ?? b.id),
      h('div', { class: 'row' },
        num('heightM', 'scenario.height', LIMITS.heightM, 0.1),
        num('storeys', 'scenario.storeys', LIMITS.storeys, 1),
        h('label', {}, t(lang, 'scenario.roof'), ' ',
          h('select', { 'data-focus-key': `roof-${b.id}`, 'data-testid': 'scenario-roof', onchange: (e) => st().updateBuilding(b.id, { roof: (e.target as HTMLSelectElement).value as RoofForm }) },
            ...ROOF_FORMS.map((r) => h('option', { value: r, selected: r === b.roof }, t(lang, `scenario.roof.${r}`))))),
      ),
      plan.roofApplied !== b.roof ? h('p', { class: 'datum' }, t(lang, 'scenario.roofNotApplied')) : null,
      h('div', { class: 'row' }, ...moveButtons(lang, b.id, true),
        h('button', { type: 'button', 'data-focus-key': `del-${b.id}`, 'data-testid': 'scenario-remove', onclick: () => st().removeObject(b.id) }, t(lang, 'scenario.remove'))),
    );
  };

  /** A number field of a mast; empty means "none" where `optional` (omnidirectional, the band's EIRP). */
  const mastField = (lang: Lang, m: ScenarioMast, key: 'antennaAglM' | 'azimuthDeg' | 'beamwidthDeg' | 'eirpDbm', label: Parameters<typeof t>[1], [min, max]: readonly [number, number], optional: boolean) =>
    h('label', {}, t(lang, label), ' ',
      h('input', {
        type: 'number', min, max, step: key === 'eirpDbm' ? 0.1 : 1, value: m[key] ?? '', placeholder: optional ? t(lang, key === 'azimuthDeg' ? 'scenario.mast.omni' : 'scenario.mast.default') : '',
        'data-focus-key': `${key}-${m.id}`, 'data-testid': `mast-${key}`,
        onchange: (e) => {
          const raw = (e.target as HTMLInputElement).value.trim();
          const v = Number(raw);
          if (raw === '' && optional) st().updateMast(m.id, { [key]: null });
          else if (raw !== '' && Number.isFinite(v) && v >= min && v <= max) st().updateMast(m.id, { [key]: v });
          else render();
        },
      }));

  const mastItem = (lang: Lang, m: ScenarioMast, i: number): HTMLElement =>
    h('li', { class: 'object mast', 'data-object': m.id },
      h('span', { class: 'object-name' }, m.name ?? t(lang, 'scenario.mastItem', { n: i + 1 }), ' · ', m.operator),
      h('div', { class: 'row' },
        mastField(lang, m, 'antennaAglM', 'scenario.mast.height', LIMITS.antennaAglM, false),
        mastField(lang, m, 'azimuthDeg', 'scenario.mast.azimuth', [0, 360], true),
        m.azimuthDeg !== undefined ? mastField(lang, m, 'beamwidthDeg', 'scenario.mast.beamwidth', [1, 360], false) : null,
        mastField(lang, m, 'eirpDbm', 'scenario.mast.eirp', [-50, 100], true)),
      h('div', { class: 'row' }, ...moveButtons(lang, m.id, false),
        h('button', { type: 'button', 'data-focus-key': `del-${m.id}`, onclick: () => store.getState().removeObject(m.id) }, t(lang, 'scenario.remove'))));

  const objectList = (lang: Lang, sc: Scenario): HTMLElement => {
    const items = [
      ...sc.buildings.map((b) => buildingItem(lang, b)),
      ...sc.masts.map((m, i) => mastItem(lang, m, i)),
      ...sc.demolitions.map((d) =>
        h('li', { class: 'object demolition', 'data-object': d.id },
          h('span', { class: 'object-name' }, t(lang, 'scenario.demolitionItem', { id: d.featureId })),
          h('button', { type: 'button', 'data-focus-key': `del-${d.id}`, onclick: () => store.getState().removeObject(d.id) }, t(lang, 'scenario.unmark')))),
    ];
    return h('div', { class: 'objects' },
      h('h3', { id: 'scenario-objects' }, t(lang, 'scenario.objects')),
      items.length > 0 ? h('ul', { 'aria-labelledby': 'scenario-objects', 'data-testid': 'scenario-objects' }, ...items) : h('p', { class: 'datum' }, t(lang, 'scenario.empty')),
    );
  };

  const compareBlock = (s: AppState): HTMLElement | null => {
    const { lang } = s;
    if (s.scenarios.length < 2) return null;
    const ids = s.scenarios.map((x) => x.id);
    const current = s.scenarioCompare ?? compareSel;
    const a = current && ids.includes(current.a) ? current.a : (s.activeScenarioId && ids.includes(s.activeScenarioId) ? s.activeScenarioId : ids[0]!);
    const b = current && ids.includes(current.b) ? current.b : (ids.find((x) => x !== a) ?? a);
    const pick = (side: 'a' | 'b', value: string) =>
      h('label', { class: 'row' }, h('span', { class: `side ${side}` }, side.toUpperCase()), ' ',
        h('select', {
          'data-focus-key': `sc-cmp-${side}`, 'data-testid': `scenario-compare-${side}`,
          onchange: (e) => {
            const next = { a, b, [side]: (e.target as HTMLSelectElement).value };
            compareSel = next;
            if (store.getState().scenarioCompare) store.getState().setScenarioCompare(next);
            else render();
          },
        }, ...s.scenarios.map((x) => h('option', { value: x.id, selected: x.id === value }, x.name))));
    const comparing = s.scenarioCompare !== null;
    return h('div', { class: 'compare' },
      h('h3', {}, t(lang, 'scenario.compareTitle')),
      pick('a', a),
      pick('b', b),
      h('button', {
        type: 'button', 'data-focus-key': 'sc-compare', 'data-testid': 'scenario-compare', 'aria-pressed': comparing ? 'true' : 'false',
        onclick: () => {
          if (comparing) {
            store.getState().setScenarioCompare(null);
            return;
          }
          // One divider at a time: the coverage swipe gives way to the comparison of variants.
          const cov = coverageLayerId ? store.getState().layers[coverageLayerId]?.coverage : undefined;
          if (coverageLayerId && cov?.mode === 'swipe') store.getState().patchCoverage(coverageLayerId, { mode: 'single' });
          store.getState().setScenarioCompare({ a, b });
        },
      }, t(lang, comparing ? 'scenario.stopCompare' : 'scenario.compare')),
      comparing ? h('p', { class: 'datum' }, t(lang, 'scenario.compareDemolitions')) : null,
    );
  };

  const exchange = (s: AppState): HTMLElement => {
    const { lang } = s;
    const active = selectActiveScenario(s);
    const fileInput = h('input', {
      type: 'file', hidden: true, accept: '.geojson,.json,.city.json,.cityjson,application/geo+json,application/city+json,application/json', 'data-testid': 'scenario-import-input',
      onchange: (e) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) void scenarioActions()?.importFile(file);
        (e.target as HTMLInputElement).value = '';
      },
    });
    return h('div', { class: 'exchange' },
      h('div', { class: 'row' },
        h('label', {}, t(lang, 'scenario.exportFormat'), ' ',
          h('select', {
            'data-focus-key': 'sc-format', 'data-testid': 'scenario-export-format',
            onchange: (e) => {
              exportFormat = (e.target as HTMLSelectElement).value as ScenarioFileFormat;
              render();
            },
          }, ...EXPORT_FORMATS.map(([format, label]) => h('option', { value: format, selected: format === exportFormat }, label)))),
        ' ',
        h('label', {}, t(lang, 'scenario.exportCrs'), ' ',
          h('select', { 'data-focus-key': 'sc-crs', 'data-testid': 'scenario-export-crs', onchange: (e) => (exportEpsg = Number((e.target as HTMLSelectElement).value) as Epsg) },
            ...EXPORT_CRS.map(([epsg, label]) => h('option', { value: epsg, selected: epsg === exportEpsg }, label))))),
      h('div', { class: 'row' },
        h('button', {
          type: 'button', 'data-focus-key': 'sc-export', 'data-testid': 'scenario-export', disabled: !active || !scenarioActions(),
          onclick: () => {
            if (!active) return;
            scenarioActions()?.exportScenario(active.id, exportEpsg, exportFormat)
              .then(({ fileName, text }) => download(fileName, text))
              .catch((err: unknown) => store.getState().notify('error', t(store.getState().lang, 'scenario.exportFailed', { message: err instanceof Error ? err.message : String(err) })));
          },
        }, t(lang, 'scenario.export')),
        fileInput,
        h('button', { type: 'button', 'data-focus-key': 'sc-import', 'data-testid': 'scenario-import', disabled: !scenarioActions(), onclick: () => fileInput.click() }, t(lang, 'scenario.import')),
        // The scenario with its variants, to another browser: a link or a .twin.json file.
        h('button', {
          type: 'button', 'data-focus-key': 'sc-share', 'data-testid': 'scenario-share', disabled: !active,
          onclick: () => {
            if (!active) return;
            const now = st();
            openShareBox(root, store, { name: active.name, doc: shareDocument([], scenarioFamily(now.scenarios, active.id)), link: { workspace: 'plan', scenarioId: active.id, camera: now.camera ?? undefined }, kiosk: false });
          },
        }, t(lang, 'share.button')),
      ),
      h('p', { class: 'datum' }, t(lang, 'scenario.exportNote')),
      exportFormat === 'cityjson' ? h('p', { class: 'datum', 'data-testid': 'scenario-cityjson-note' }, t(lang, 'scenario.cityJsonNote')) : null,
    );
  };

  render();
  const unwatch = [
    watch(store, (s) => [s.lang, s.scenarios, s.activeScenarioId, s.scenarioHistory, s.scenarioCompare, s.scenarioTool, s.selection, coverageLayerId ? s.layers[coverageLayerId]?.coverage : undefined] as const, render),
    // Entering the planning workspace opens the panel.
    watch(store, (s) => s.workspace, (ws) => {
      if (ws !== 'plan' || open) return;
      open = true;
      render();
    }),
  ];
  // The corner count while drawing: the scene adds corners without a store change (they are not settled yet).
  const tick = setInterval(() => {
    if (store.getState().scenarioTool === 'draw-building') {
      const hint = el.querySelector('.drawing .hint');
      if (hint) hint.textContent = t(store.getState().lang, 'scenario.drawHint', { n: scenarioActions()?.drawnCorners() ?? 0 });
    }
  }, 250);
  return () => {
    clearInterval(tick);
    for (const u of unwatch) u();
    el.remove();
  };
}

/** The metrics of the shown scenario, or of variants A and B side by side while comparing. */
function metricsBlock(s: AppState): HTMLElement | null {
  const { lang } = s;
  const shown: Array<[string, Scenario]> = [];
  const byId = (id: string) => s.scenarios.find((x) => x.id === id);
  if (s.scenarioCompare) {
    const a = byId(s.scenarioCompare.a), b = byId(s.scenarioCompare.b);
    if (a) shown.push([`A: ${a.name}`, a]);
    if (b) shown.push([`B: ${b.name}`, b]);
  } else {
    const a = selectActiveScenario(s);
    if (a) shown.push([a.name, a]);
  }
  if (shown.length === 0) return null;
  const metrics = shown.map(([, sc]) => scenarioMetrics(sc));
  const rows: ReadonlyArray<[Parameters<typeof t>[1], (m: ScenarioMetrics) => string]> = [
    ['scenario.metric.floorArea', (m) => `${formatNumber(lang, m.floorAreaM2, 0)} m²`],
    ['scenario.metric.volume', (m) => `${formatNumber(lang, m.volumeM3, 0)} m³`],
    ['scenario.metric.maxHeight', (m) => `${formatNumber(lang, m.maxHeightM, 1)} m`],
    ['scenario.metric.masts', (m) => formatNumber(lang, m.masts, 0)],
    ['scenario.metric.demolitions', (m) => formatNumber(lang, m.demolitions, 0)],
  ];
  return h('figure', { class: 'metrics' },
    h('figcaption', {}, t(lang, 'scenario.metrics')),
    h('table', { 'data-testid': 'scenario-metrics' },
      h('thead', {}, h('tr', {}, h('td', {}), ...shown.map(([label]) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, ...rows.map(([key, f]) => h('tr', {}, h('th', { scope: 'row' }, t(lang, key)), ...metrics.map((m) => h('td', {}, f(m)))))),
    ),
  );
}

function download(fileName: string, text: string): void {
  downloadText(fileName, fileName.endsWith('.city.json') ? 'application/city+json' : 'application/geo+json', text);
}
