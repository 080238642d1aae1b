/**
 * "Share…" for a story or a scenario: a link that carries the items themselves (while it stays under 8 KB), with
 * a copy button and, for a story, the kiosk choice; and the `.twin.json` file for anything larger. Both open in
 * any browser (src/persist/share.ts).
 */
import { t } from '../i18n';
import { downloadText } from '../persist/download';
import { packShare } from '../persist/share';
import type { ShareDocument } from '../state/share';
import type { AppStore } from '../state/store';
import { encodeUrlState, type UrlState } from '../state/url';
import { h } from './dom';

export interface ShareTarget {
  /** Shown in the title and used for the file name. */
  readonly name: string;
  readonly doc: ShareDocument;
  /** The rest of the link: which story or scenario it opens, and how. */
  readonly link: Omit<UrlState, 'share' | 'kiosk'>;
  /** A story can be sent to play in kiosk mode. */
  readonly kiosk: boolean;
}

const fileName = (name: string): string => `${name.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'shared'}.twin.json`;

export function openShareBox(root: HTMLElement, store: AppStore, target: ShareTarget): void {
  const { lang } = store.getState();
  const status = h('p', { class: 'hint', role: 'status', 'data-testid': 'share-status' });
  const input = h('input', { type: 'text', readonly: true, 'aria-label': t(lang, 'share.link'), 'data-testid': 'share-link', value: '' });
  const kiosk = h('input', { type: 'checkbox', 'data-testid': 'share-kiosk' });
  const copy = h('button', { type: 'button', 'data-testid': 'share-copy', disabled: true }, t(lang, 'share.copy'));
  let packed: string | null = null;
  const base = `${location.origin}${location.pathname}`;
  const refresh = (): void => {
    input.value = packed === null ? '' : `${base}#${encodeUrlState({ ...target.link, share: packed, kiosk: kiosk.checked || undefined })}`;
  };
  kiosk.addEventListener('change', refresh);
  copy.addEventListener('click', () => {
    input.select();
    navigator.clipboard
      ?.writeText(input.value)
      .then(() => (status.textContent = t(lang, 'share.copied')))
      // Without clipboard access (no permission, no secure context) the link stays selected for Ctrl+C.
      .catch(() => undefined);
  });
  const dialog = h('dialog', { class: 'panel share-dialog', 'aria-labelledby': 'share-title', 'data-testid': 'share-dialog' },
    h('h2', { id: 'share-title' }, `${t(lang, 'share.title')}: ${target.name}`),
    h('label', { class: 'share-link' }, t(lang, 'share.link'), input),
    h('div', { class: 'row' }, copy),
    target.kiosk ? h('label', {}, kiosk, ' ', t(lang, 'share.kiosk')) : null,
    status,
    h('div', { class: 'row' },
      h('button', { type: 'button', 'data-testid': 'share-file', onclick: () => downloadText(fileName(target.name), 'application/json', JSON.stringify(target.doc, null, 2)) }, t(lang, 'share.file')),
    ),
    h('p', { class: 'hint' }, t(lang, 'share.fileHint')),
    h('div', { class: 'row' }, h('button', { type: 'button', 'data-testid': 'share-close', onclick: () => dialog.close() }, t(lang, 'share.close'))),
  );
  dialog.addEventListener('close', () => dialog.remove());
  // Not inside the panel that opened it: the dock restyles every panel within it (no background, static).
  root.ownerDocument.body.append(dialog);
  dialog.showModal();
  void packShare(target.doc).then((text) => {
    packed = text;
    if (text === null) status.textContent = t(lang, 'share.tooLong');
    copy.disabled = text === null;
    refresh();
  });
}
