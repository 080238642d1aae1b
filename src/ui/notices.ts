/**
 * Errors and warnings as dismissable text notices: the scene and everything else stay as they were. At most
 * three at once, newest last; information fades after a few seconds; whatever is dismissed, faded or pushed out
 * stays readable in the notice log below them.
 */
import { t } from '../i18n';
import { watch, type AppStore } from '../state/store';
import type { Notice } from '../state/types';
import { h, rerender } from './dom';

const SHOWN = 3;
const LOG_LENGTH = 50;
/** Information is transient; warnings and errors wait for the user. */
const FADE_MS: Partial<Record<Notice['level'], number>> = { info: 8000 };

export function mountNotices(root: HTMLElement, store: AppStore): () => void {
  const el = h('div', { class: 'notices', role: 'status', 'aria-live': 'assertive' });
  root.append(el);
  const log: Notice[] = [];
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let logOpen = false;

  const render = () => {
    const { notices, lang } = store.getState();
    // Faded or dismissed since the last render: into the log.
    for (const [id, timer] of timers) {
      if (notices.some((n) => n.id === id)) continue;
      clearTimeout(timer);
      timers.delete(id);
    }
    for (const n of notices) {
      const fade = FADE_MS[n.level];
      // A notice that offers a choice waits for it.
      if (fade === undefined || n.actions || timers.has(n.id)) continue;
      timers.set(n.id, setTimeout(() => store.getState().dismissNotice(n.id), fade));
    }
    const shown = notices.slice(-SHOWN);
    const earlier = [...notices.slice(0, -SHOWN).toReversed(), ...log];
    rerender(
      el,
      ...shown.map((n) =>
        h('div', { class: `notice ${n.level}`, 'data-notice': n.level },
          h('span', {}, n.text),
          ...(n.actions ?? []).map((a) =>
            h('button', { type: 'button', class: 'notice-action', onclick: () => { store.getState().dismissNotice(n.id); a.run(); } }, a.label),
          ),
          h('button', { type: 'button', 'aria-label': t(lang, 'notice.dismiss'), onclick: () => store.getState().dismissNotice(n.id) }, '×'),
        ),
      ),
      earlier.length > 0
        ? h('details', { class: 'notice-log', open: logOpen, ontoggle: (e) => (logOpen = (e.target as HTMLDetailsElement).open) },
            h('summary', {}, t(lang, 'notice.log', { n: earlier.length })),
            h('ul', {}, ...earlier.map((n) => h('li', { class: n.level }, n.text))),
          )
        : null,
    );
  };
  render();
  const unwatch = watch(store, (s) => [s.notices, s.lang] as const, ([notices], [before]) => {
    for (const n of before) if (!notices.includes(n)) log.unshift(n);
    log.splice(LOG_LENGTH);
    render();
  });
  return () => {
    unwatch();
    for (const timer of timers.values()) clearTimeout(timer);
  };
}
