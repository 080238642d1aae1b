/** Errors and warnings as dismissable text notices: the scene and everything else stay as they were. */
import { t } from '../i18n';
import { watch, type AppStore } from '../state/store';
import { h, rerender } from './dom';

export function mountNotices(root: HTMLElement, store: AppStore): () => void {
  const el = h('div', { class: 'notices', role: 'status', 'aria-live': 'assertive' });
  root.append(el);
  const render = () => {
    const { notices, lang } = store.getState();
    rerender(
      el,
      ...notices.map((n) =>
        h('div', { class: `notice ${n.level}`, 'data-notice': n.level },
          h('span', {}, n.text),
          h('button', { type: 'button', 'aria-label': t(lang, 'notice.dismiss'), onclick: () => store.getState().dismissNotice(n.id) }, '×'),
        ),
      ),
    );
  };
  render();
  return watch(store, (s) => [s.notices, s.lang] as const, render);
}
