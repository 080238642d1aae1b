/**
 * Importing a file: pick or drop it, see what was detected (format, features, CRS with the reason, problems with
 * line numbers), confirm or override the CRS, import. Everything shown from the file is text.
 */
import type { CrsInfo, Epsg } from '../../core/geo/crs';
import { counted, formatNumber, t } from '../i18n';
import type { CrsChoice, ImportController } from '../layers/imported/controller';
import type { CatalogueController } from '../layers/catalogue/controller';
import { fileKind } from '../../core/catalogue/source';
import type { AppStore } from '../state/store';
import type { InspectResult, ProblemCode } from '../../core/formats/import/types';
import { h, rerender } from './dom';
import { MAX_IMPORT_BYTES } from '../layers/imported/limits';
import { DISPLAY_MAX_CHARS } from './clip-text';

/** Accept files dragged over the page (the browser would otherwise open them in place of the twin). */
function onDragOver(e: DragEvent): void {
  if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
}

/** Problems that leave nothing to import, whatever CRS is chosen. */
const FATAL = new Set<ProblemCode>(['binary-file', 'not-a-table', 'malformed-json', 'unrecognised-json', 'invalid-cityjson', 'no-coordinate-columns', 'no-features']);

/**
 * The CRSs a user may choose for a file (geographic 3D and helper CRSs are not offered). The registry's module
 * (with proj4) is fetched with the first file, beside the file's inspection.
 */
const choosableCrs = async (): Promise<readonly CrsInfo[]> => (await import('../../core/geo/crs')).allCrs().filter((c) => c.epsg !== 4979);

export function mountImport(root: HTMLElement, store: AppStore, imports: ImportController, catalogue?: CatalogueController): { open(): void; dispose(): void } {
  const input = h('input', { type: 'file', accept: `.geojson,.json,.csv,.txt,.city.json,.twin.json${catalogue ? ',.kml,.kmz,.czml,.gpx' : ''}`, hidden: true, 'data-testid': 'import-input' });
  const dialog = h('dialog', { class: 'panel import-dialog', 'aria-labelledby': 'import-title' });
  root.append(input, dialog);

  const handle = async (file: File) => {
    const s = store.getState();
    // Shared stories and scenarios (.twin.json) are not geodata: they join the user's own work.
    if (/\.twin\.json$/i.test(file.name)) {
      await import('../persist/share').then((m) => m.openSharedFile(store, file));
      return;
    }
    // KML, KMZ, CZML and GPX are read by Cesium's own data sources (the catalogue), not by the importer.
    if (catalogue && fileKind(file.name)) {
      // A file that cannot be read is named in a notice by the catalogue itself.
      await catalogue.addFile(file).catch(() => undefined);
      return;
    }
    try {
      const [{ bytes, result }, choosable] = await Promise.all([imports.inspect(file), choosableCrs()]);
      showDialog(file.name, bytes, result, choosable);
    } catch (err) {
      s.notify('error', t(s.lang, 'error.import', { file: file.name, message: err instanceof Error ? err.message : String(err) }));
    }
  };

  const showDialog = (fileName: string, bytes: ArrayBuffer, r: InspectResult, choosable: readonly CrsInfo[]) => {
    const { lang } = store.getState();
    // Nothing in such a file can be placed: say why instead of offering a CRS.
    const fatal = r.problems.find((p) => FATAL.has(p.code));
    if (r.format === null || r.featureCount === 0 || fatal) {
      const reason = fatal ?? r.problems[0];
      store.getState().notify('error', t(lang, 'error.import', { file: fileName, message: reason ? reason.message : 'no features' }));
      return;
    }
    const detected = new Map(r.crsCandidates.map((c) => [c.epsg, c]));
    const select = h('select', { id: 'import-crs', 'data-testid': 'import-crs' },
      ...r.crsCandidates.map((c, i) => h('option', { value: `${c.epsg}`, selected: i === 0 }, `EPSG:${c.epsg} ${crsName(choosable, c.epsg)} (${t(lang, 'import.crsDetected')}: ${c.reason})`)),
      ...choosable.filter((c) => !detected.has(c.epsg)).map((c) => h('option', { value: `${c.epsg}`, selected: r.crsCandidates.length === 0 && c.epsg === 4326 }, `EPSG:${c.epsg} ${c.name} (${t(lang, 'import.crsOther')})`)),
    );
    // A CRS the values do not fit is flagged before anything is placed: its points would land outside the
    // region (or nowhere), and the confirm button says so.
    const misfit = h('p', { class: 'error', role: 'alert', 'data-testid': 'import-crs-misfit', hidden: true });
    const confirmButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'import-confirm', onclick: () => confirm() }, t(lang, 'import.confirm'));
    const checkFit = () => {
      const epsg = Number(select.value) as Epsg;
      const fits = detected.has(epsg);
      misfit.hidden = fits;
      misfit.textContent = fits ? '' : t(lang, 'import.crsMisfit', { crs: `EPSG:${epsg}` });
      confirmButton.textContent = t(lang, fits ? 'import.confirm' : 'import.confirmAnyway');
    };
    select.addEventListener('change', checkFit);
    const confirm = () => {
      const epsg = Number(select.value) as Epsg;
      const candidate = detected.get(epsg);
      const choice: CrsChoice = { epsg, swapAxes: candidate?.swapAxes ?? false, candidate };
      dialog.close();
      void imports.add(fileName, bytes, r, choice);
    };
    rerender(
      dialog,
      h('h2', { id: 'import-title' }, t(lang, 'import.title', { file: fileName })),
      h('p', {}, t(lang, 'import.summary', { format: r.format.toUpperCase(), features: counted(r.featureCount, 'feature', r.featureCountEstimated) })),
      h('p', { class: 'datum', 'data-testid': 'import-limits' }, t(lang, 'import.limits', { mb: formatNumber(lang, MAX_IMPORT_BYTES / 1048576, 0), chars: formatNumber(lang, DISPLAY_MAX_CHARS, 0) })),
      h('label', { for: 'import-crs' }, t(lang, 'import.crs')),
      select,
      r.crsCandidates.length === 0 ? h('p', { class: 'error', role: 'alert' }, t(lang, 'import.noCrs')) : misfit,
      r.problemCount > 0
        ? h('details', { open: r.problemCount <= 5 },
            h('summary', {}, t(lang, 'import.problems', { problems: counted(r.problemCount, 'problem') })),
            h('ul', { class: 'problems' }, ...r.problems.slice(0, 20).map((p) => h('li', { class: p.severity }, `${p.line ? `${p.line}: ` : p.feature !== undefined ? `#${p.feature}: ` : ''}${p.message}`))),
          )
        : null,
      h('div', { class: 'actions' },
        confirmButton,
        h('button', { type: 'button', onclick: () => dialog.close() }, t(lang, 'import.cancel')),
      ),
    );
    if (r.crsCandidates.length > 0) checkFit();
    dialog.showModal();
  };

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void handle(file);
  });
  const onDrop = (e: DragEvent) => {
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    void handle(file);
  };
  window.addEventListener('dragover', onDragOver);
  window.addEventListener('drop', onDrop);
  return {
    open: () => input.click(),
    dispose: () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
      input.remove();
      dialog.remove();
    },
  };
}

function crsName(choosable: readonly CrsInfo[], epsg: Epsg): string {
  return choosable.find((c) => c.epsg === epsg)?.name ?? '';
}
