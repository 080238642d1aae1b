/**
 * One timeline for every time-aware layer (Cesium's own is English-only and wall-clock based): play/pause,
 * speed, scrub, step, jump to live. Times are shown in Europe/Prague local time with the UTC offset, so the
 * night of the DST change reads correctly (02:00–02:59 appears twice in October, with +02:00 then +01:00).
 *
 * The store holds the settled time; playback advances it one step at a time (a few store updates per second,
 * never per frame). Its range is the time-aware layers' (the sensors' history); without one, the fortnight up to
 * tomorrow, for the sun study. Shown where time matters (see mount-ui.ts).
 */
import type { Lang } from '../i18n';
import { t } from '../i18n';
import { liveFeedState, type LiveFeedState } from '../layers/sensors/feed-state';
import { watch, type AppStore } from '../state/store';
import { h } from './dom';

export const DISPLAY_TIME_ZONE = 'Europe/Prague';
const LOCALES: Record<Lang, string> = { en: 'en-GB', cs: 'cs-CZ', de: 'de-DE' };
const SPEEDS = [1, 2, 6, 12, 24];

/** "Mon 26 Oct 2025, 02:00 GMT+2": the instant in Prague's local time, with its offset. */
export function formatPragueTime(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: DISPLAY_TIME_ZONE,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'shortOffset',
  }).format(ms);
}

const DAY_MS = 86_400_000;
/** Without a time-aware layer: the last fortnight up to tomorrow, whole days (the sun study's range). */
export function fallbackRange(nowMs: number): { startMs: number; endMs: number } {
  const day = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return { startMs: day - 14 * DAY_MS, endMs: day + 2 * DAY_MS };
}

/**
 * The Live button: green only while the feed it stands for is live. In an outage it says so where the user looks
 * for "live" (amber while reconnecting, grey when the service cannot be reached), with the why in its title.
 */
export function liveButtonLook(lang: Lang, live: boolean, feed: LiveFeedState): { text: string; title: string; state: LiveFeedState } {
  if (live && (feed === 'reconnecting' || feed === 'offline')) {
    return { text: t(lang, `timeline.${feed}`), title: t(lang, feed === 'offline' ? 'timeline.feedOffline' : 'timeline.feedReconnecting'), state: feed };
  }
  return { text: t(lang, 'timeline.live'), title: t(lang, 'timeline.goLive'), state: live ? feed : 'none' };
}

function showLive(el: HTMLElement, lang: Lang, live: boolean, feed: LiveFeedState): void {
  const look = liveButtonLook(lang, live, feed);
  el.textContent = look.text;
  el.title = look.title;
  el.dataset['feed'] = look.state;
  el.classList.toggle('on', live);
  for (const c of ['connecting', 'reconnecting', 'offline'] as const) el.classList.toggle(c, look.state === c);
  el.setAttribute('aria-pressed', String(live));
}

export function mountTimeline(root: HTMLElement, store: AppStore): () => void {
  const el = h('section', { class: 'panel timeline', 'aria-labelledby': 'timeline-title', 'data-testid': 'timeline' });
  root.append(el);
  let timer: ReturnType<typeof setInterval> | null = null;

  const step = (dir: number): void => {
    const s = store.getState();
    const range = s.timeRange;
    // Steps land on whole hours (UTC multiples of the step), from wherever the time was.
    const at = Date.parse(s.timeIso);
    const aligned = Math.floor(at / s.stepMs) * s.stepMs;
    let next = dir > 0 ? aligned + s.stepMs : aligned === at ? at - s.stepMs : aligned;
    if (range) next = Math.min(Math.max(next, Math.floor(range.startMs / s.stepMs) * s.stepMs), range.endMs);
    s.setTime(new Date(next).toISOString());
  };

  const schedule = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    const s = store.getState();
    if (!s.playing) return;
    timer = setInterval(() => {
      const st = store.getState();
      if (st.timeRange && Date.parse(st.timeIso) + st.stepMs > st.timeRange.endMs) {
        // The end of the data: stop there rather than loop past the present.
        st.setPlaying(false);
        return;
      }
      step(1);
    }, 1000 / s.speed);
  };

  // Built once and updated in place: replacing the range input while it is dragged would end the drag.
  const title = h('h2', { id: 'timeline-title', class: 'sr-only' });
  const back = h('button', { type: 'button', onclick: () => step(-1) }, '−1 h');
  const play = h('button', { type: 'button', class: 'play', 'data-testid': 'timeline-play', onclick: () => store.getState().setPlaying(!store.getState().playing) });
  const forward = h('button', { type: 'button', onclick: () => step(1) }, '+1 h');
  const speed = h('select', { onchange: (e) => store.getState().setSpeed(Number((e.target as HTMLSelectElement).value)) });
  const time = h('output', { class: 'time', 'data-testid': 'timeline-time' });
  const live = h('button', { type: 'button', class: 'live', 'data-testid': 'timeline-live', onclick: () => store.getState().setTime(new Date().toISOString(), true) });
  const scrub = h('input', {
    type: 'range',
    class: 'scrub',
    'data-testid': 'timeline-scrub',
    oninput: (e) => {
      const v = Number((e.target as HTMLInputElement).value);
      store.getState().setPlaying(false);
      store.getState().setTime(new Date(v).toISOString());
    },
  });
  el.append(title, h('div', { class: 'row' }, back, play, forward, speed, time, live), scrub);

  let builtLang: Lang | null = null;
  const render = (): void => {
    const s = store.getState();
    const { lang } = s;
    const timeRange = s.timeRange ?? fallbackRange(Date.now());
    if (builtLang !== lang) {
      builtLang = lang;
      title.textContent = t(lang, 'timeline.label');
      back.setAttribute('aria-label', t(lang, 'timeline.back'));
      back.title = t(lang, 'timeline.back');
      forward.setAttribute('aria-label', t(lang, 'timeline.forward'));
      forward.title = t(lang, 'timeline.forward');
      speed.setAttribute('aria-label', t(lang, 'timeline.speed'));
      speed.replaceChildren(...SPEEDS.map((n) => h('option', { value: String(n) }, t(lang, 'timeline.speedOption', { n }))));
      time.title = t(lang, 'timeline.zone');
      scrub.setAttribute('aria-label', t(lang, 'timeline.scrub'));
    }
    const nowMs = Date.parse(s.timeIso);
    const startMs = Math.floor(timeRange.startMs / s.stepMs) * s.stepMs;
    play.textContent = s.playing ? `■ ${t(lang, 'timeline.pause')}` : `▶ ${t(lang, 'timeline.play')}`;
    play.setAttribute('aria-pressed', String(s.playing));
    play.setAttribute('aria-label', t(lang, s.playing ? 'timeline.pause' : 'timeline.play'));
    speed.value = String(s.speed);
    time.textContent = formatPragueTime(lang, nowMs);
    showLive(live, lang, s.live, liveFeedState(s.layers));
    scrub.min = String(startMs);
    scrub.max = String(timeRange.endMs);
    scrub.step = String(s.stepMs);
    scrub.value = String(Math.min(Math.max(nowMs, startMs), timeRange.endMs));
    scrub.setAttribute('aria-valuetext', formatPragueTime(lang, nowMs));
  };

  render();
  const unwatch = [
    watch(store, (s) => [s.lang, s.timeIso, s.timeRange, s.playing, s.speed, s.live, s.stepMs, liveFeedState(s.layers)] as const, render),
    watch(store, (s) => [s.playing, s.speed] as const, schedule),
  ];
  return () => {
    for (const u of unwatch) u();
    if (timer !== null) clearInterval(timer);
    el.remove();
  };
}
