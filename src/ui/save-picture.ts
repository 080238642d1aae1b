/**
 * "Save picture": the view as a PNG at the screen's resolution or twice it, with what a slide needs drawn in:
 * the time shown, the legends of the overlays on screen, a scale bar, the layers shown (with their "simulated",
 * "modelled" or "estimated" labels) and every data credit. All text in the UI language. Code fetched on first use.
 */
import { formatNumber, t, type Lang } from '../i18n';
import { layerTitle } from '../layers/titles';
import type { Manifest } from '../../core/manifest';
import type { SceneShot } from '../scene/capture';
import type { AppState, AppStore } from '../state/store';
import { downloadBlob } from '../persist/download';
import { h } from './dom';
import { gradientStops, scaleBarLabel, scaleBarMetres } from './picture-layout';

export type CaptureScene = (factor: 1 | 2) => Promise<SceneShot>;

const FONT = 'system-ui, "DejaVu Sans", sans-serif';

function timeText(s: AppState): string {
  // dateStyle cannot be combined with timeZoneName: the parts are named one by one.
  const fmt = new Intl.DateTimeFormat(s.lang, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Prague', timeZoneName: 'short' });
  return fmt.format(new Date(s.timeIso));
}

/** Visible layers' titles and the credits they need. */
function shown(s: AppState, manifest: Manifest): { titles: string[]; credits: string[] } {
  const titles: string[] = [];
  const credits = new Set<string>();
  for (const id of s.layerOrder) {
    const l = s.layers[id];
    if (!l?.visible) continue;
    const entry = manifest.layers.find((e) => e.id === id);
    titles.push(layerTitle(s.lang, id, entry?.title ?? l.title ?? id));
    const credit = entry?.attribution ?? l.catalogue?.attribution;
    if (credit) credits.add(credit);
  }
  credits.add('CesiumJS');
  return { titles, credits: [...credits] };
}

/** One legend of the page (figure.legend) drawn at (x, y); returns its height. */
function drawLegend(g: CanvasRenderingContext2D, fig: Element, x: number, y: number, w: number, k: number): number {
  let cy = y + 16 * k;
  g.fillStyle = '#e8edf2';
  g.font = `600 ${12 * k}px ${FONT}`;
  g.fillText(fig.querySelector('figcaption')?.textContent ?? '', x, cy, w);
  const bar = fig.querySelector<HTMLElement>('.bar');
  if (bar) {
    const stops = gradientStops(bar.style.background || bar.style.backgroundImage);
    const grad = g.createLinearGradient(x, 0, x + w, 0);
    for (const s of stops) grad.addColorStop(s.at, s.colour);
    g.fillStyle = grad;
    g.fillRect(x, cy + 6 * k, w, 12 * k);
    cy += 34 * k;
    const ticks = [...fig.querySelectorAll('.ticks span')].map((e) => e.textContent ?? '');
    g.font = `${11 * k}px ${FONT}`;
    g.fillStyle = '#e8edf2';
    ticks.forEach((text, i) => {
      g.textAlign = i === 0 ? 'left' : i === ticks.length - 1 ? 'right' : 'center';
      g.fillText(text, x + (w * i) / Math.max(1, ticks.length - 1), cy, w / Math.max(1, ticks.length));
    });
    g.textAlign = 'left';
  }
  for (const li of fig.querySelectorAll('li')) {
    cy += 18 * k;
    g.fillStyle = (li.querySelector<HTMLElement>('.swatch')?.style.background) || '#888';
    g.fillRect(x, cy - 10 * k, 12 * k, 12 * k);
    g.fillStyle = '#e8edf2';
    g.font = `${11 * k}px ${FONT}`;
    g.fillText(li.textContent ?? '', x + 18 * k, cy, w - 18 * k);
  }
  return cy - y + 10 * k;
}

/** Items joined by " · " in lines no wider than `width` (never squeezed: a credit must stay legible). */
function wrap(g: CanvasRenderingContext2D, lead: string, items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = lead;
  for (const item of items) {
    const next = line === lead ? `${line}${item}` : `${line} · ${item}`;
    if (g.measureText(next).width > width && line !== lead) {
      lines.push(line);
      line = `    ${item}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

function panel(g: CanvasRenderingContext2D, x: number, y: number, w: number, hgt: number): void {
  g.fillStyle = 'rgba(22, 28, 36, 0.82)';
  g.fillRect(x, y, w, hgt);
}

/** The picture: the scene with time, legends, scale bar, layers shown and credits drawn in. */
export function composePicture(shot: SceneShot, s: AppState, manifest: Manifest, legends: readonly Element[]): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = shot.image.width;
  out.height = shot.image.height;
  const g = out.getContext('2d')!;
  g.drawImage(shot.image, 0, 0);
  const k = shot.image.width / shot.cssWidth;
  const pad = 12 * k;
  const lang: Lang = s.lang;
  // Title and time, top left.
  const title = `${t(lang, 'app.title')} · ${timeText(s)}`;
  g.font = `600 ${15 * k}px ${FONT}`;
  panel(g, pad, pad, g.measureText(title).width + 2 * pad, 28 * k);
  g.fillStyle = '#e8edf2';
  g.fillText(title, 2 * pad, pad + 19 * k);
  // Legends, top right, one under another.
  const lw = 260 * k;
  let ly = pad;
  for (const fig of legends) {
    const measure = document.createElement('canvas').getContext('2d')!;
    const hgt = drawLegend(measure, fig, 0, 0, lw - 2 * pad, k);
    panel(g, out.width - lw - pad, ly, lw, hgt + pad);
    drawLegend(g, fig, out.width - lw, ly, lw - 2 * pad, k);
    ly += hgt + 2 * pad;
  }
  // Layers shown and credits: a band along the bottom.
  const { titles, credits } = shown(s, manifest);
  g.font = `${11 * k}px ${FONT}`;
  const lines = [...wrap(g, `${t(lang, 'picture.layers')}: `, titles, out.width - 2 * pad), ...wrap(g, `${t(lang, 'picture.credits')}: `, credits, out.width - 2 * pad)];
  const bandH = (lines.length * 15 + 10) * k;
  panel(g, 0, out.height - bandH, out.width, bandH);
  g.fillStyle = '#e8edf2';
  lines.forEach((line, i) => g.fillText(line, pad, out.height - bandH + (i + 1) * 15 * k, out.width - 2 * pad));
  // Scale bar, above the band on the left.
  const mpp = shot.metresPerCssPixel;
  const metres = mpp ? scaleBarMetres(mpp * 160) : null;
  if (mpp && metres) {
    const w = (metres / mpp) * k;
    const y = out.height - bandH - 14 * k;
    panel(g, pad, y - 24 * k, w + 2 * pad, 32 * k);
    g.fillStyle = '#e8edf2';
    g.fillRect(2 * pad, y, w, 4 * k);
    g.fillRect(2 * pad, y - 6 * k, 2 * k, 10 * k);
    g.fillRect(2 * pad + w - 2 * k, y - 6 * k, 2 * k, 10 * k);
    g.fillText(scaleBarLabel(metres, (v) => formatNumber(lang, v, 0)), 2 * pad, y - 9 * k);
  }
  return out;
}

/** The dialog: resolution, then the PNG is downloaded. */
export function mountSavePicture(store: AppStore, manifest: Manifest, capture: CaptureScene): { open(): void; dispose(): void } {
  const dialog = h('dialog', { class: 'panel import-dialog picture-dialog', 'aria-labelledby': 'picture-title', 'data-testid': 'picture-dialog' });
  document.body.append(dialog);
  const save = async (factor: 1 | 2) => {
    const s = store.getState();
    const status = dialog.querySelector<HTMLElement>('[role="status"]');
    if (status) status.textContent = t(s.lang, 'picture.rendering');
    try {
      // The dialog is closed first: a modal's backdrop is not part of the scene, but the legends are read from the page.
      dialog.close();
      const shot = await capture(factor);
      const legends = [...document.querySelectorAll('figure.legend')].filter((f) => (f as HTMLElement).offsetParent !== null);
      const canvas = composePicture(shot, store.getState(), manifest, legends);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      if (!blob) throw new Error('the browser could not encode the picture');
      const stamp = new Date(store.getState().timeIso).toISOString().slice(0, 16).replace(/[:T]/g, '-');
      downloadBlob(`sddi-twin-${stamp}${factor === 2 ? '@2x' : ''}.png`, blob);
    } catch (err) {
      store.getState().notify('error', t(store.getState().lang, 'picture.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  const render = () => {
    const { lang } = store.getState();
    dialog.replaceChildren(
      h('h2', { id: 'picture-title' }, t(lang, 'picture.title')),
      h('p', { class: 'datum' }, t(lang, 'picture.what')),
      h('p', { class: 'datum', role: 'status' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', 'data-testid': 'picture-1x', onclick: () => void save(1) }, t(lang, 'picture.screen')),
        h('button', { type: 'button', 'data-testid': 'picture-2x', onclick: () => void save(2) }, t(lang, 'picture.double')),
        h('button', { type: 'button', onclick: () => dialog.close() }, t(lang, 'catalogue.close'))),
    );
  };
  return {
    open() {
      render();
      if (!dialog.open) dialog.showModal();
    },
    dispose: () => dialog.remove(),
  };
}
