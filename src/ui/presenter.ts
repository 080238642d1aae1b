/**
 * Play mode: the open story full screen, one slide after another. The app root goes full screen (the browser may
 * refuse, e.g. without a click on a kiosk screen: the presentation then fills the window and offers the button);
 * every editing control is hidden; the caption of the slide is shown in the UI's language. Presentation clickers
 * send → ← PageDown PageUp and space, which step through the slides; Escape (or leaving full screen) ends the
 * presentation, except in kiosk mode, which plays until the page is closed. Autoplay shows each slide for its own
 * duration once the camera has arrived, and starts over after the last slide.
 */
import { t } from '../i18n';
import { captionIn } from '../state/story';
import { SLIDE_FLIGHT_S } from '../state/slices';
import { watch, type AppState, type AppStore } from '../state/store';
import type { CameraState } from '../state/types';
import { h, rerender } from './dom';
import { formatPragueTime } from './timeline';
import { lazyModule, type LazyModule } from './lazy';

/** The legends' modules, fetched when a slide first shows their overlay (as the overlay's own code is). */
interface LegendCode {
  readonly sensors: LazyModule<typeof import('./sensor-controls')>;
  readonly climate: LazyModule<typeof import('./climate-controls')>;
  readonly coverage: LazyModule<typeof import('./coverage-panel')>;
}

const NEXT = new Set(['ArrowRight', 'PageDown', ' ', 'Spacebar']);
const PREV = new Set(['ArrowLeft', 'PageUp']);

/** The settled camera is the slide's (within a metre: the store holds what Cesium reports after the flight). */
function arrived(camera: CameraState | null, target: CameraState): boolean {
  return camera !== null && Math.abs(camera.lonDeg - target.lonDeg) < 1e-5 && Math.abs(camera.latDeg - target.latDeg) < 1e-5 && Math.abs(camera.heightM - target.heightM) < 1;
}

const story = (s: AppState) => s.stories.find((x) => x.id === s.storyId);
const button = (label: string, text: string, onclick: () => void, extra: Record<string, string> = {}) =>
  h('button', { type: 'button', 'aria-label': label, title: label, onclick, ...extra }, text);

export function mountPresenter(root: HTMLElement, store: AppStore, appRoot: HTMLElement): () => void {
  const el = h('section', { class: 'presenter', 'aria-roledescription': 'slideshow', 'data-testid': 'presenter', hidden: true });
  const caption = h('p', { class: 'slide-caption', 'aria-live': 'polite', 'data-testid': 'slide-caption' });
  const bar = h('div', { class: 'presenter-bar' });
  // The overlays a slide shows, read from the back of a hall: legend, unit, measured or simulated, and the time.
  const legends = h('aside', { class: 'slide-legends', 'data-testid': 'slide-legends' });
  el.append(legends, caption, bar);
  root.append(el);
  const legendCode: LegendCode = {
    sensors: lazyModule(store, () => import('./sensor-controls')),
    climate: lazyModule(store, () => import('./climate-controls')),
    coverage: lazyModule(store, () => import('./coverage-panel')),
  };

  let enteredFullscreen = false;
  let fullscreenRefused = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const step = (delta: number): void => {
    const s = store.getState();
    const n = story(s)?.slides.length ?? 0;
    if (n === 0) return;
    // Autoplay and kiosks loop; a speaker's clicker stops at the ends.
    const next = s.autoplay || s.kiosk ? (s.slideIndex + delta + n) % n : Math.min(n - 1, Math.max(0, s.slideIndex + delta));
    if (next !== s.slideIndex || n === 1) s.goToSlide(next);
    // A one-slide story does not change the index: the autoplay timer is set again here.
    schedule();
  };

  const enterFullscreen = (): void => {
    if (document.fullscreenElement) return;
    // Without a click or key press (a kiosk link opening) the browser refuses anyway: do not ask, offer the button.
    if (typeof appRoot.requestFullscreen !== 'function' || navigator.userActivation?.isActive === false) {
      refused();
      return;
    }
    appRoot.requestFullscreen({ navigationUI: 'hide' }).then(
      () => {
        enteredFullscreen = true;
        fullscreenRefused = false;
        render();
      },
      refused,
    );
  };
  const refused = (): void => {
    fullscreenRefused = true;
    const s = store.getState();
    // A kiosk screen starts without a click, so the refusal is expected there: the button says it all.
    if (!s.kiosk) s.notify('info', t(s.lang, 'present.fullscreenRefused'));
    render();
  };
  const leaveFullscreen = (): void => {
    if (enteredFullscreen && document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    enteredFullscreen = false;
  };
  const onFullscreenChange = (): void => {
    if (document.fullscreenElement) return;
    const wasOurs = enteredFullscreen;
    enteredFullscreen = false;
    // The browser takes Escape itself to leave full screen: that is the speaker leaving the presentation.
    if (wasOurs && store.getState().presenting && !store.getState().kiosk) store.getState().setPresenting(false);
    else render();
  };

  const onKey = (e: KeyboardEvent): void => {
    const s = store.getState();
    if (!s.presenting || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (NEXT.has(e.key)) step(1);
    else if (PREV.has(e.key)) step(-1);
    else if (e.key === 'Home') s.goToSlide(0);
    else if (e.key === 'End') s.goToSlide((story(s)?.slides.length ?? 1) - 1);
    else if (e.key === 'Escape' && !s.kiosk) s.setPresenting(false);
    else return;
    // Space would also press a focused button and scroll: the key belongs to the presentation.
    e.preventDefault();
    e.stopPropagation();
  };

  /**
   * Autoplay: a slide's duration is the time the audience sees it, so it counts from the camera's arrival (the
   * settled camera in the store), not from the start of the flight, which a slow GPU may stretch. If the camera
   * never arrives (someone moved it), the duration starts when the flight should have ended.
   */
  let unwatchArrival: (() => void) | null = null;
  const clearTimers = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    unwatchArrival?.();
    unwatchArrival = null;
  };
  const schedule = (): void => {
    clearTimers();
    const s = store.getState();
    const slide = story(s)?.slides[s.slideIndex];
    if (!s.presenting || !s.autoplay || !slide) return;
    const dwell = (): void => {
      clearTimers();
      timer = setTimeout(() => step(1), slide.durationS * 1000);
    };
    if (arrived(s.camera, slide.camera)) return dwell();
    unwatchArrival = watch(store, (x) => x.camera, (camera) => {
      if (arrived(camera, slide.camera)) dwell();
    });
    timer = setTimeout(dwell, (SLIDE_FLIGHT_S + 5) * 1000);
  };

  function render(): void {
    const s = store.getState();
    el.hidden = !s.presenting;
    if (!s.presenting) return;
    const st = story(s);
    const n = st?.slides.length ?? 0;
    const slide = st?.slides[s.slideIndex];
    el.setAttribute('aria-label', `${t(s.lang, 'present.label')}: ${st?.title ?? ''}`);
    const text = slide ? captionIn(slide, s.lang) : t(s.lang, 'present.empty');
    caption.textContent = text;
    caption.hidden = text === '';
    rerender(legends, ...slideLegends(s, legendCode, render));
    legends.hidden = legends.childElementCount === 0;
    rerender(
      bar,
      s.kiosk ? null : button(t(s.lang, 'present.prev'), '←', () => step(-1), { 'data-focus-key': 'present-prev', 'data-testid': 'present-prev' }),
      h('span', { class: 'counter', 'data-testid': 'slide-counter' }, t(s.lang, 'present.counter', { n: Math.min(s.slideIndex + 1, n), total: n })),
      s.kiosk ? null : button(t(s.lang, 'present.next'), '→', () => step(1), { 'data-focus-key': 'present-next', 'data-testid': 'present-next' }),
      s.kiosk
        ? null
        : h(
            'label',
            { class: 'autoplay' },
            h('input', { type: 'checkbox', checked: s.autoplay, 'data-focus-key': 'present-autoplay', 'data-testid': 'present-autoplay', onchange: (e) => store.getState().setAutoplay((e.target as HTMLInputElement).checked) }),
            t(s.lang, 'present.autoplay'),
          ),
      fullscreenRefused && !document.fullscreenElement ? button(t(s.lang, 'present.fullscreen'), '⛶', enterFullscreen, { 'data-focus-key': 'present-fullscreen' }) : null,
      s.kiosk ? null : button(t(s.lang, 'present.exit'), '✕', () => store.getState().setPresenting(false), { 'data-focus-key': 'present-exit', 'data-testid': 'present-exit' }),
      s.kiosk ? null : h('small', { class: 'keys' }, t(s.lang, 'present.keys')),
    );
  }

  const start = (): void => {
    const s = store.getState();
    document.documentElement.classList.add('presenting');
    // Called from the click on "Present": the browser allows full screen only inside such a gesture.
    enterFullscreen();
    const n = story(s)?.slides.length ?? 0;
    if (n > 0) s.goToSlide(Math.min(s.slideIndex, n - 1));
    // Keys go to the presentation, not to a control of the hidden panels that had the focus.
    if (document.activeElement instanceof HTMLElement && !el.contains(document.activeElement)) document.activeElement.blur();
  };
  // Kiosk hides every editing control, whether or not a story is playing (a link to a missing story shows the bare scene).
  const applyKiosk = (): void => void document.documentElement.classList.toggle('kiosk', store.getState().kiosk);
  const stop = (): void => {
    document.documentElement.classList.remove('presenting');
    leaveFullscreen();
    clearTimers();
  };

  window.addEventListener('keydown', onKey, true);
  document.addEventListener('fullscreenchange', onFullscreenChange);
  const unwatch = [
    watch(store, (s) => s.presenting, (presenting) => {
      if (presenting) start();
      else stop();
      render();
      schedule();
    }),
    watch(store, (s) => [s.storyId, s.slideIndex, s.autoplay, s.stories] as const, () => {
      render();
      schedule();
    }),
    watch(store, (s) => [s.lang, s.kiosk] as const, () => {
      applyKiosk();
      render();
    }),
    // The legends follow the layers a slide shows and the time the heatmap has drawn.
    watch(store, (s) => [s.layers, s.timeIso] as const, () => {
      if (store.getState().presenting) render();
    }),
  ];
  applyKiosk();
  if (store.getState().presenting) start();
  render();
  schedule();
  return () => {
    stop();
    document.documentElement.classList.remove('kiosk');
    window.removeEventListener('keydown', onKey, true);
    document.removeEventListener('fullscreenchange', onFullscreenChange);
    for (const u of unwatch) u();
  };
}

/**
 * A legend per overlay shown (sensor heatmap, climate record, coverage), with its "simulated"/"modelled" label and,
 * for the heatmap, the time it shows. A legend whose module is not in yet follows when it is (`rendered` again).
 */
function slideLegends(s: AppState, code: LegendCode, rendered: () => void): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const id of s.layerOrder) {
    const layer = s.layers[id];
    if (!layer?.visible) continue;
    const sensors = layer.sensors ? code.sensors.get(rendered) : null;
    if (layer.sensors && sensors) {
      const i = layer.sensors;
      out.push(h('div', { class: 'slide-legend', 'data-legend': id },
        sensors.legend(s.lang, i.property, i.unit, i.domain, i.scheme),
        h('p', { class: 'when', 'data-testid': 'slide-time' }, formatPragueTime(s.lang, Date.parse(i.frameTimeIso || s.timeIso))),
        i.simulated ? h('span', { class: 'badge simulated' }, t(s.lang, 'sensors.simulated')) : null,
      ));
    }
    const climate = layer.climate ? code.climate.get(rendered) : null;
    if (layer.climate && climate) {
      out.push(h('div', { class: 'slide-legend', 'data-legend': id },
        climate.climateLegend(s.lang, layer.climate),
        h('span', { class: 'badge measured' }, t(s.lang, 'climate.measured')),
      ));
    }
    const coverage = layer.coverage ? code.coverage.get(rendered) : null;
    if (layer.coverage && coverage) {
      out.push(h('div', { class: 'slide-legend', 'data-legend': id },
        coverage.legend(s.lang, layer.coverage),
        h('span', { class: 'badge modelled' }, t(s.lang, 'coverage.modelled')),
      ));
    }
  }
  return out;
}
