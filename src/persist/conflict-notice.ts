/** The notice for an item two tabs changed at once: the user decides which version stays. */
import { t } from '../i18n';
import type { AppStore } from '../state/store';
import type { Conflict } from './synced-items';

/** "Scenario “X” was changed in another tab": keep mine, or take theirs. */
export function conflictNotice<T extends { readonly name?: string; readonly title?: string }>(
  store: AppStore,
  c: Conflict<T>,
  choose: (choice: 'mine' | 'theirs') => void,
): void {
  const s = store.getState();
  const name = (c.mine ?? c.theirs)?.name ?? (c.mine ?? c.theirs)?.title ?? c.id;
  const text = t(s.lang, c.theirs === null ? 'save.conflictDeleted' : 'save.conflict', { name: name.slice(0, 60) });
  s.notify('warning', text, [
    { label: t(s.lang, 'save.keepMine'), run: () => choose('mine') },
    { label: t(s.lang, 'save.takeTheirs'), run: () => choose('theirs') },
  ]);
}
