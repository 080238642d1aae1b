/**
 * Stories for presentations: an ordered list of slides, each a complete view of the twin (camera, visible layers,
 * time, scenario) with a caption in every UI language. Pure data and pure functions: the store's story slice, the
 * browser storage and the JSON import/export all go through them, and one zod schema decides what a story is,
 * whether it comes from a file, from the browser's storage or from a colleague.
 */
import { z } from '../../core/zod';
import { LANGS, type Lang } from '../i18n';
import type { CameraState, LayerState } from './types';

export type Caption = Readonly<Record<Lang, string>>;

export interface StorySlide {
  readonly id: string;
  readonly camera: CameraState;
  /** Layers of the embedded dataset switched off on this slide (the user's own files are not part of a story). */
  readonly hiddenLayers: readonly string[];
  /** The timeline's instant (ISO, UTC) and whether it followed the present when captured. */
  readonly timeIso: string;
  readonly live: boolean;
  /** The scenario shown, or null for today's state of the region. */
  readonly scenarioId: string | null;
  /** Plain text in each language; never HTML. */
  readonly caption: Caption;
  /** How long autoplay stays on this slide once the camera has arrived, seconds. */
  readonly durationS: number;
}

export interface Story {
  readonly id: string;
  /** Plain text, never HTML. */
  readonly title: string;
  readonly slides: readonly StorySlide[];
}

/** What a slide restores, read from the store at capture time. */
export interface ViewSnapshot {
  readonly camera: CameraState | null;
  readonly layers: Readonly<Record<string, LayerState>>;
  readonly layerOrder: readonly string[];
  readonly timeIso: string;
  readonly live: boolean;
  readonly activeScenarioId: string | null;
}

export const STORY_FORMAT = 'sddi-twin-stories';
export const STORY_FORMAT_VERSION = 1;
export const DEFAULT_SLIDE_DURATION_S = 8;
export const MAX_STORIES = 50;
export const MAX_SLIDES = 100;
export const MAX_CAPTION_LENGTH = 600;
export const MAX_TITLE_LENGTH = 120;

/** The same shape as link ids and layer ids: safe in a URL fragment, a data attribute and a file name. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Instants the twin can show (as for links): anything else is a tampered file. */
const TIME_MIN_MS = Date.UTC(1990, 0, 1);
const TIME_MAX_MS = Date.UTC(2100, 0, 1);

/**
 * Text a person will read on a big screen: control characters (other than line breaks) and bidirectional
 * overrides are refused, so a caption cannot hide or reorder what the audience sees. Markup-like text is
 * allowed: it is only ever shown as text.
 */
export function isSafeText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return false;
  }
  return true;
}
const text = (max: number) => z.string().max(max).refine(isSafeText, { message: 'contains control or direction-override characters' });
const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const idSchema = z.string().regex(ID_PATTERN);

const cameraSchema = z.strictObject({
  lonDeg: num(-180, 180),
  latDeg: num(-90, 90),
  heightM: num(1, 4e7),
  headingDeg: num(-360, 360),
  pitchDeg: num(-90, 90),
  rollDeg: num(-180, 180),
});

const slideSchema = z.strictObject({
  id: idSchema,
  camera: cameraSchema,
  hiddenLayers: z.array(idSchema).max(200),
  timeIso: z.string().refine((s) => {
    const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/.test(s) ? Date.parse(s) : Number.NaN;
    return ms >= TIME_MIN_MS && ms <= TIME_MAX_MS;
  }, { message: 'is not a UTC instant between 1990 and 2100' }),
  live: z.boolean(),
  scenarioId: idSchema.nullable(),
  caption: z.strictObject({ cs: text(MAX_CAPTION_LENGTH), de: text(MAX_CAPTION_LENGTH), en: text(MAX_CAPTION_LENGTH) }),
  durationS: num(1, 600),
});

const storySchema = z.strictObject({
  id: idSchema,
  title: text(MAX_TITLE_LENGTH),
  slides: z.array(slideSchema).max(MAX_SLIDES),
});

const fileSchema = z.strictObject({
  format: z.literal(STORY_FORMAT),
  version: z.literal(STORY_FORMAT_VERSION),
  stories: z.array(storySchema).max(MAX_STORIES),
});

export type StoryParseResult = { readonly ok: true; readonly stories: Story[] } | { readonly ok: false; readonly problem: string };

/**
 * Validate a stories file (or the browser's saved copy). All or nothing: one bad field rejects the whole file, with
 * the first problem named by its path, so nothing is ever half-imported.
 */
export function parseStories(json: unknown): StoryParseResult {
  const r = fileSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'file';
    return { ok: false, problem: `${clip(where, 60)}: ${clip(issue?.message ?? 'invalid', 80)}` };
  }
  const stories = r.data.stories;
  const ids = new Set<string>();
  for (const s of stories) {
    if (ids.has(s.id)) return { ok: false, problem: `story “${s.id}” appears twice` };
    ids.add(s.id);
    const slideIds = new Set(s.slides.map((sl) => sl.id));
    if (slideIds.size !== s.slides.length) return { ok: false, problem: `story “${s.id}” has two slides with the same id` };
  }
  return { ok: true, stories };
}

/** Parse the text of a file: JSON errors and schema errors alike end as one problem. */
export function parseStoriesText(textContent: string): StoryParseResult {
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  return parseStories(json);
}

export function serializeStories(stories: readonly Story[]): string {
  return JSON.stringify({ format: STORY_FORMAT, version: STORY_FORMAT_VERSION, stories }, null, 2);
}

/** The current view as a slide. Without a settled camera yet there is nothing to capture. */
export function captureSlide(view: ViewSnapshot, id: string, caption: Caption = emptyCaption(), durationS = DEFAULT_SLIDE_DURATION_S): StorySlide | null {
  if (!view.camera) return null;
  const hiddenLayers = view.layerOrder.filter((l) => view.layers[l]?.visible === false && view.layers[l]?.kind !== 'imported' && ID_PATTERN.test(l));
  // Whole seconds, as in links: the schema (and a link) only carries seconds.
  const timeIso = new Date(Math.floor(Date.parse(view.timeIso) / 1000) * 1000).toISOString();
  const scenarioId = view.activeScenarioId !== null && ID_PATTERN.test(view.activeScenarioId) ? view.activeScenarioId : null;
  return { id, camera: normalizeCamera(view.camera), hiddenLayers, timeIso, live: view.live, scenarioId, caption, durationS };
}

/** An angle in [min, min + 360); values within 1e-9° of zero become 0 (no spurious -1e-10 from 359.9999999999). */
function wrapDeg(deg: number, min: number): number {
  const v = ((((deg - min) % 360) + 360) % 360) + min;
  return Math.abs(v) < 1e-9 ? 0 : v;
}

/**
 * Angles in their canonical ranges: Cesium reports a level camera's heading and roll as 360° (2π less a rounding
 * error) as often as 0°, and a slide must pass the same validation when it is read back from storage or a file.
 */
export function normalizeCamera(c: CameraState): CameraState {
  return {
    lonDeg: c.lonDeg,
    latDeg: c.latDeg,
    heightM: Math.min(4e7, Math.max(1, c.heightM)),
    headingDeg: wrapDeg(c.headingDeg, 0),
    pitchDeg: Math.min(90, Math.max(-90, c.pitchDeg)),
    rollDeg: wrapDeg(c.rollDeg, -180),
  };
}

export function emptyCaption(): Caption {
  return Object.fromEntries(LANGS.map((l) => [l, ''])) as Record<Lang, string>;
}

/** A slide's caption in `lang`, falling back to the other languages (an untranslated slide still says something). */
export function captionIn(slide: StorySlide, lang: Lang): string {
  const own = slide.caption[lang].trim();
  if (own) return slide.caption[lang];
  for (const l of ['en', 'de', 'cs'] as const) if (slide.caption[l].trim()) return slide.caption[l];
  return '';
}

/** Move the item at `from` by `delta` places, clamped to the list; the same list when nothing moves. */
export function moveItem<T>(items: readonly T[], from: number, delta: number): readonly T[] {
  const to = Math.min(items.length - 1, Math.max(0, from + delta));
  if (from < 0 || from >= items.length || to === from) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/** A new id unlike any in `taken`: short, readable in a link, and with the given prefix. */
export function newId(prefix: string, taken: ReadonlySet<string>, random: () => number = Math.random): string {
  for (;;) {
    const id = `${prefix}-${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`;
    if (!taken.has(id)) return id;
  }
}

/** Where the slide index lands after removing slide `removed` while `current` was shown. */
export function indexAfterRemoval(current: number, removed: number, remaining: number): number {
  const i = removed < current ? current - 1 : current;
  return Math.max(0, Math.min(i, remaining - 1));
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/**
 * Imported stories beside the local ones: an imported story whose id is already taken by a different local
 * story is kept as a copy under a new id (titled by `copyTitle`), never over the local one; one identical to a
 * local story is not imported twice.
 */
export function keepBoth(local: readonly Story[], incoming: readonly Story[], copyTitle: (title: string) => string): { stories: Story[]; copies: number } {
  const byId = new Map(local.map((s) => [s.id, s]));
  const taken = new Set([...byId.keys(), ...incoming.map((s) => s.id)]);
  const stories: Story[] = [];
  let copies = 0;
  for (const s of incoming) {
    const mine = byId.get(s.id);
    if (!mine) stories.push(s);
    else if (JSON.stringify(mine) !== JSON.stringify(s)) {
      const id = newId('story', taken);
      taken.add(id);
      stories.push({ ...s, id, title: copyTitle(s.title).slice(0, MAX_TITLE_LENGTH) });
      copies++;
    }
  }
  return { stories, copies };
}
