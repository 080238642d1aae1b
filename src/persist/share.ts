/**
 * Sharing work with another browser: a shared document (`src/state/share.ts`) packed into a link's `share`
 * parameter (deflate-raw through the platform's CompressionStream, base64url) while it stays under 8 KB, or
 * written as a `.twin.json` file; and the way back in, validated all or nothing and added beside the
 * recipient's own stories and scenarios. Decompression stops at 1 MiB, so a small link cannot unpack into a
 * large one.
 */
import { counted, t } from '../i18n';
import { mergeShared, parseShareText, type ShareDocument, type ShareParseResult } from '../state/share';
import { MAX_STORIES } from '../state/story';
import type { AppStore } from '../state/store';
import type { UrlState } from '../state/url';

/** The longest `share` value a link carries (characters of base64url): links beyond are unreliable to send. */
export const MAX_SHARE_CHARS = 8192;
const MAX_INFLATED_BYTES = 1 << 20;
const SHARE_VALUE = /^[A-Za-z0-9_-]+$/;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw new Error(`it unpacks to more than ${limit / 1048576} MiB`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const through = (bytes: Uint8Array, transform: CompressionStream | DecompressionStream): ReadableStream<Uint8Array> =>
  new Blob([bytes as BlobPart]).stream().pipeThrough(transform) as ReadableStream<Uint8Array>;

/** The document as a link parameter, or null when it would be longer than a link should be. */
export async function packShare(doc: ShareDocument): Promise<string | null> {
  const packed = await readAll(through(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream('deflate-raw')), Number.POSITIVE_INFINITY);
  const text = toBase64Url(packed);
  return text.length <= MAX_SHARE_CHARS ? text : null;
}

export async function unpackShare(text: string): Promise<ShareParseResult> {
  if (text.length > MAX_SHARE_CHARS || !SHARE_VALUE.test(text)) return { ok: false, problem: 'the shared content is not valid' };
  try {
    const bytes = await readAll(through(fromBase64Url(text), new DecompressionStream('deflate-raw')), MAX_INFLATED_BYTES);
    return parseShareText(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return { ok: false, problem: err instanceof Error ? err.message.slice(0, 120) : 'the shared content cannot be read' };
  }
}

/**
 * Adds a shared document's stories and scenarios to the store (beside the local ones) and says what arrived.
 * Returns the shared ids as they are called here, or null when nothing was added.
 */
export function addShared(store: AppStore, doc: ShareDocument, source: string): ReadonlyMap<string, string> | null {
  const s = store.getState();
  const merged = mergeShared({ stories: s.stories, scenarios: s.scenarios }, doc, (title) => t(s.lang, 'story.importedCopy', { title }));
  if (s.stories.length + merged.stories.length > MAX_STORIES) {
    s.notify('error', t(s.lang, 'share.openFailed', { source, message: t(s.lang, 'story.tooMany', { max: MAX_STORIES }) }));
    return null;
  }
  // Saved like any other item (src/persist): from now on they are this browser's too.
  for (const sc of merged.scenarios) s.applyStoredScenario(sc.id, sc);
  if (merged.stories.length > 0) s.importStories(merged.stories);
  s.notify('info', t(s.lang, 'share.opened', { source, stories: counted(merged.stories.length, 'story'), scenarios: counted(merged.scenarios.length, 'scenario') }));
  return merged.renamed;
}

/** A link's shared content, added before the link's story or scenario is opened; the link as it now reads. */
export async function openSharedLink(store: AppStore, link: UrlState): Promise<UrlState> {
  if (!link.share) return link;
  const lang = store.getState().lang;
  const r = await unpackShare(link.share);
  if (!r.ok) {
    store.getState().notify('error', t(lang, 'share.openFailed', { source: t(lang, 'share.theLink'), message: r.problem }));
    return { ...link, storyId: undefined, scenarioId: undefined, kiosk: undefined };
  }
  const renamed = addShared(store, r.doc, t(lang, 'share.theLink'));
  const rename = (id: string | undefined) => (id === undefined ? undefined : (renamed?.get(id) ?? id));
  const next = { ...link, storyId: rename(link.storyId), scenarioId: rename(link.scenarioId) };
  if (next.scenarioId) store.getState().setActiveScenario(next.scenarioId);
  return next;
}

/** A `.twin.json` file dropped or opened: all or nothing. */
export async function openSharedFile(store: AppStore, file: File, text?: string): Promise<void> {
  const lang = store.getState().lang;
  const r = parseShareText(text ?? (await file.text()));
  if (!r.ok) {
    store.getState().notify('error', t(lang, 'share.openFailed', { source: file.name, message: r.problem }));
    return;
  }
  const renamed = addShared(store, r.doc, file.name);
  const first = r.doc.stories[0];
  if (renamed && first) store.getState().openStory(renamed.get(first.id) ?? first.id);
}

/** Whether a file's text is meant as a shared document (and not, say, a stories file or GeoJSON). */
export function looksShared(text: string): boolean {
  return /^\s*\{[^]{0,200}"format"\s*:\s*"sddi-twin-share"/.test(text);
}
