/**
 * One timeline for every time-aware layer (Cesium's own is English-only and wall-clock based): play/pause,
 * speed, scrub, step, jump to live. Times are shown in Europe/Prague local time with the UTC offset, so the
 * night of the DST change reads correctly (02:00–02:59 appears twice in October, with +02:00 then +01:00).
 *
 * The store holds the settled time; playback advances it one step at a time (a few store updates per second,
 * never per frame). Its range is the time-aware layers' (the sensors' history); without one, the fortnight up to
 * tomorrow, for the sun study. Shown where time matters (see mount-ui.ts).
 */
import { addCalendar, type CalendarStep } from '../../core/climate/calendar';
import type { Lang } from '../i18n';
import { counted, t } from '../i18n';
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

/** "July 1976" in the UI language (UTC: a record's months are UTC months). */
export function formatMonth(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(ms);
}

/** Ticks under the scrub for a range of years: a year every decade (or fewer for short ranges), placed by time. */
export function yearTicks(startMs: number, endMs: number): Array<{ year: number; at: number }> {
  const y0 = new Date(startMs).getUTCFullYear();
  const y1 = new Date(endMs).getUTCFullYear();
  const span = y1 - y0;
  if (span < 2 || !(endMs > startMs)) return [];
  const every = span > 40 ? 10 : span > 15 ? 5 : span > 6 ? 2 : 1;
  const out: Array<{ year: number; at: number }> = [];
  for (let y = Math.ceil(y0 / every) * every; y <= y1; y += every) {
    const ms = Date.UTC(y, 0, 1);
    if (ms >= startMs && ms <= endMs) out.push({ year: y, at: (ms - startMs) / (endMs - startMs) });
  }
  return out;
}

function renderAxis(axis: HTMLElement, lang: Lang, startMs: number, endMs: number): void {
  const ticks = yearTicks(startMs, endMs);
  const key = `${lang}:${startMs}:${endMs}`;
  if (axis.dataset['key'] === key) return;
  axis.dataset['key'] = key;
  axis.hidden = ticks.length === 0;
  axis.replaceChildren(...ticks.map((tk) => {
    const span = h('span', {}, String(tk.year));
    span.style.left = `${(tk.at * 100).toFixed(2)}%`;
    return span;
  }));
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
    if (s.calendarStep) {
      const next = addCalendar(Date.parse(s.timeIso), s.calendarStep, dir);
      if (range && (next < range.startMs || next > range.endMs)) return;
      s.setTime(new Date(next).toISOString());
      return;
    }
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
      const ahead = st.calendarStep ? addCalendar(Date.parse(st.timeIso), st.calendarStep, 1) : Date.parse(st.timeIso) + st.stepMs;
      if (st.timeRange && ahead > st.timeRange.endMs) {
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
  // A record of months steps by month, or by year for the same month every year (every July).
  const stepSelect = h('select', { 'data-testid': 'timeline-step', onchange: (e) => store.getState().setCalendarStep((e.target as HTMLSelectElement).value as CalendarStep) });
  // Any date in two clicks: the solstices and equinoxes of the year shown (the sun study), or a date picked.
  const goTo = h('select', { 'data-testid': 'timeline-goto', onchange: (e) => {
    const v = (e.target as HTMLSelectElement).value;
    (e.target as HTMLSelectElement).value = '';
    if (v) jumpTo(v);
  } });
  const dateInput = h('input', { type: 'date', class: 'goto-date', 'data-testid': 'timeline-date', onchange: (e) => {
    const v = (e.target as HTMLInputElement).value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) jumpTo(v);
  } });
  const axis = h('div', { class: 'axis', 'aria-hidden': 'true' });
  el.append(title, h('div', { class: 'row' }, back, play, forward, stepSelect, speed, time, live, goTo, dateInput), scrub, axis);

  /** "MM-DD" of the year shown, or a full "YYYY-MM-DD", at 11:00 UTC: solar noon in the region (13° E) within ten minutes. */
  const jumpTo = (v: string): void => {
    const s = store.getState();
    const year = new Date(s.timeIso).getUTCFullYear();
    const iso = v.length === 5 ? `${year}-${v}` : v;
    const ms = Date.parse(`${iso}T11:00:00Z`);
    if (!Number.isFinite(ms)) return;
    s.setPlaying(false);
    // Outside the range the timeline holds: the range grows to reach it (the sun study needs no data).
    const r = s.timeRange;
    if (r && !s.calendarStep && (ms < r.startMs || ms > r.endMs)) s.setTimeRange({ startMs: Math.min(r.startMs, ms), endMs: Math.max(r.endMs, ms) });
    s.setTime(new Date(ms).toISOString());
  };

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

      time.title = t(lang, 'timeline.zone');
      scrub.setAttribute('aria-label', t(lang, 'timeline.scrub'));
      stepSelect.setAttribute('aria-label', t(lang, 'timeline.step'));
      stepSelect.replaceChildren(...(['month', 'year'] as const).map((v) => h('option', { value: v }, t(lang, `timeline.step.${v}`))));
      goTo.setAttribute('aria-label', t(lang, 'timeline.goTo'));
      goTo.replaceChildren(
        h('option', { value: '' }, t(lang, 'timeline.goTo')),
        h('option', { value: '03-20' }, t(lang, 'timeline.goTo.marEquinox')),
        h('option', { value: '06-21' }, t(lang, 'timeline.goTo.junSolstice')),
        h('option', { value: '09-23' }, t(lang, 'timeline.goTo.sepEquinox')),
        h('option', { value: '12-21' }, t(lang, 'timeline.goTo.decSolstice')),
      );
      dateInput.setAttribute('aria-label', t(lang, 'timeline.goTo.date'));
    }
    const calendar = s.calendarStep;
    const speedKey = `${lang}:${calendar}`;
    if (speed.dataset['key'] !== speedKey) {
      speed.dataset['key'] = speedKey;
      speed.replaceChildren(...SPEEDS.map((n) => h('option', { value: String(n) }, calendar ? t(lang, 'timeline.speedCalendar', { steps: counted(n, calendar) }) : t(lang, 'timeline.speedOption', { n }))));
    }
    stepSelect.hidden = calendar === null;
    if (calendar) stepSelect.value = calendar;
    back.textContent = calendar ? '−1' : '−1 h';
    forward.textContent = calendar ? '+1' : '+1 h';
    live.hidden = calendar !== null;
    el.classList.toggle('calendar', calendar !== null);
    const nowMs = Date.parse(s.timeIso);
    const startMs = Math.floor(timeRange.startMs / s.stepMs) * s.stepMs;
    play.textContent = s.playing ? `■ ${t(lang, 'timeline.pause')}` : `▶ ${t(lang, 'timeline.play')}`;
    play.setAttribute('aria-pressed', String(s.playing));
    play.setAttribute('aria-label', t(lang, s.playing ? 'timeline.pause' : 'timeline.play'));
    speed.value = String(s.speed);
    time.textContent = calendar ? formatMonth(lang, nowMs) : formatPragueTime(lang, nowMs);
    showLive(live, lang, s.live, liveFeedState(s.layers));
    scrub.min = String(startMs);
    scrub.max = String(timeRange.endMs);
    // A record of months: the scrub moves by days and the time snaps to the month (the layer shows whole months).
    scrub.step = String(calendar ? DAY_MS : s.stepMs);
    scrub.value = String(Math.min(Math.max(nowMs, startMs), timeRange.endMs));
    scrub.setAttribute('aria-valuetext', calendar ? formatMonth(lang, nowMs) : formatPragueTime(lang, nowMs));
    renderAxis(axis, lang, startMs, timeRange.endMs);
  };

  render();
  const unwatch = [
    watch(store, (s) => [s.lang, s.timeIso, s.timeRange, s.playing, s.speed, s.live, s.stepMs, s.calendarStep, liveFeedState(s.layers)] as const, render),
    watch(store, (s) => [s.playing, s.speed] as const, schedule),
  ];
  return () => {
    for (const u of unwatch) u();
    if (timer !== null) clearInterval(timer);
    el.remove();
  };
}
