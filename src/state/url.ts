/**
 * The shareable view as a URL fragment: a pure encode/decode pair.
 *   #ws=coverage&cam=lon,lat,heightM,headingDeg,pitchDeg,rollDeg&hide=layerA,layerB&lang=cs&t=2025-10-26T01:00:00Z&render=lite
 * (`ws` the workspace; `hide` every layer of the dataset that is off: without it, the workspace's own choice),
 * (`t` only when the timeline is not following the present), and for a presentation
 *   &story=story-x1y2z3&slide=2&kiosk=1&share=…
 * and the analysis shown:
 *   &cov=A,B,bandMHz,mode,coveredDbm,goodDbm&sens=property,method&sun=1
 * (the coverage comparison, the sensor heatmap's quantity and method, the sun study on; its date is `t`).
 * (the story saved in this browser, its slide counted from 1, kiosk: play with every editing control hidden, and
 * share: the stories and scenarios themselves, for a browser that has not saved them).
 * Every field is validated; a field that is unknown, malformed or out of range is dropped and named in
 * `problems`, so the caller can show a notice and apply the rest. Nothing decoded here is ever HTML.
 * `problems` has one entry per kind (unknown parameters, or one known parameter), with a count when it happened more
 * than once: each entry becomes a notice, and a link with 20,000 unknown parameters must not bury the page in them.
 */
import { z } from '../../core/zod';
import { isLang, type Lang } from '../i18n';
import type { CameraState, CoverageMode, HeatmapOp } from './types';
import { isWorkspace, type WorkspaceId } from './workspace';

export interface UrlState {
  workspace?: WorkspaceId;
  camera?: CameraState;
  hiddenLayers?: string[];
  lang?: Lang;
  /** Scene time (ISO 8601 instant, UTC) when not live. */
  timeIso?: string;
  lite?: boolean;
  /** A story saved in this browser and the slide shown (0-based here, 1-based in the link). */
  storyId?: string;
  slideIndex?: number;
  /** Play the story with every editing control hidden. */
  kiosk?: boolean;
  /** The what-if scenario shown (saved in this browser): `sc`. */
  scenarioId?: string;
  /**
   * Stories and scenarios carried by the link itself (`share`: a packed shared document, src/persist/share.ts),
   * added to this browser before `story` and `sc` are looked up. Validated when unpacked.
   */
  share?: string;
  /** The coverage comparison: operators A and B, band, display mode and thresholds. */
  coverage?: LinkedCoverage;
  /** The sensor heatmap's quantity and interpolation method. */
  sensors?: { property: string; op: HeatmapOp };
  /** The sun study is on (shadows at the scene time). */
  sun?: boolean;
}

export interface LinkedCoverage {
  readonly a: string;
  readonly b: string;
  readonly bandMHz: number;
  readonly mode: CoverageMode;
  readonly coveredDbm: number;
  readonly goodDbm: number;
}

const COVERAGE_MODES: readonly CoverageMode[] = ['single', 'swipe', 'diff', 'classes'];
const HEATMAP_OPS: readonly HeatmapOp[] = ['idw', 'kde', 'mean'];
/** Operator and source ids (MCC-MNC and the like), sensor quantities: short names, no markup. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

function decodeCoverage(value: string): LinkedCoverage | null {
  const [a, b, band, mode, covered, good, ...rest] = value.split(',');
  const bandMHz = Number(band);
  const coveredDbm = Number(covered);
  const goodDbm = Number(good);
  if (rest.length > 0 || !a || !b || !NAME.test(a) || !NAME.test(b)) return null;
  if (!Number.isInteger(bandMHz) || bandMHz < 100 || bandMHz > 100_000) return null;
  if (!COVERAGE_MODES.includes(mode as CoverageMode)) return null;
  if (!(coveredDbm >= -160 && coveredDbm <= -20 && goodDbm >= -160 && goodDbm <= -20 && coveredDbm < goodDbm)) return null;
  return { a, b, bandMHz, mode: mode as CoverageMode, coveredDbm, goodDbm };
}

const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const cameraSchema = z.tuple([num(-180, 180), num(-90, 90), num(1, 4e7), num(-360, 360), num(-90, 90), num(-180, 180)]);
const layerIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const KNOWN = new Set(['ws', 'cam', 'hide', 'lang', 't', 'render', 'story', 'slide', 'kiosk', 'sc', 'share', 'cov', 'sens', 'sun']);
/** A shared document is longer than any other value; still bounded (src/persist/share.ts packs at most this). */
const MAX_SHARE_LENGTH = 8192;
const SHARE_VALUE = /^[A-Za-z0-9_-]+$/;
/** A story has at most 100 slides (src/state/story.ts); the link counts from 1. */
const SLIDE = /^[1-9]\d{0,2}$/;
const MAX_SLIDE = 100;
/** Instants the twin can show: a shared link from another century is a tampered one. */
const TIME_MIN_MS = Date.UTC(1990, 0, 1);
const TIME_MAX_MS = Date.UTC(2100, 0, 1);
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?Z$/;
/** Values longer than this are not parsed at all (a tampered link must not cost us work). */
const MAX_VALUE_LENGTH = 2000;

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

export function encodeUrlState(s: UrlState): string {
  const p = new URLSearchParams();
  if (s.workspace) p.set('ws', s.workspace);
  if (s.camera) {
    const c = s.camera;
    // Angles into the ranges the decoder accepts: Cesium reports a level camera's roll as 360°, which a link
    // must not carry (it would come back as a malformed camera).
    const heading = ((round(c.headingDeg, 1) % 360) + 360) % 360;
    const roll = ((((round(c.rollDeg, 1) + 180) % 360) + 360) % 360) - 180;
    p.set('cam', [round(c.lonDeg, 6), round(c.latDeg, 6), round(c.heightM, 1), round(heading, 1), round(c.pitchDeg, 1), round(roll, 1)].join(','));
  }
  // Written even when empty: "nothing hidden" differs from "what the workspace hides".
  if (s.hiddenLayers) p.set('hide', s.hiddenLayers.toSorted().join(','));
  if (s.lang) p.set('lang', s.lang);
  if (s.timeIso) p.set('t', s.timeIso.replace(/\.000Z$/, 'Z'));
  if (s.lite) p.set('render', 'lite');
  if (s.storyId) {
    p.set('story', s.storyId);
    if (s.slideIndex !== undefined) p.set('slide', String(s.slideIndex + 1));
  }
  if (s.kiosk) p.set('kiosk', '1');
  if (s.share) p.set('share', s.share);
  if (s.scenarioId) p.set('sc', s.scenarioId);
  if (s.coverage) {
    const c = s.coverage;
    p.set('cov', [c.a, c.b, c.bandMHz, c.mode, round(c.coveredDbm, 1), round(c.goodDbm, 1)].join(','));
  }
  if (s.sensors) p.set('sens', `${s.sensors.property},${s.sensors.op}`);
  if (s.sun) p.set('sun', '1');
  // URLSearchParams escapes commas and colons; both are safe in a fragment and far more readable unescaped.
  return p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

export function decodeUrlState(fragment: string): { state: UrlState; problems: string[] } {
  const state: UrlState = {};
  const found = problemCounter();
  const params = new URLSearchParams(fragment.startsWith('#') ? fragment.slice(1) : fragment);
  for (const [key, value] of params) {
    if (!KNOWN.has(key)) {
      found.unknown(key);
      continue;
    }
    // Everything below is about this known parameter: counted under its name.
    const problem = (message: string): void => found.add(key, message);
    if (value.length > (key === 'share' ? MAX_SHARE_LENGTH : MAX_VALUE_LENGTH)) {
      problem(`parameter “${key}” is too long`);
      continue;
    }
    if (key === 'ws') {
      if (isWorkspace(value)) state.workspace = value;
      else problem(`workspace “${clip(value)}” is not known`);
    } else if (key === 'cam') {
      const parts = value.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v)));
      const r = cameraSchema.safeParse(parts);
      if (r.success) {
        const [lonDeg, latDeg, heightM, headingDeg, pitchDeg, rollDeg] = r.data;
        state.camera = { lonDeg, latDeg, heightM, headingDeg, pitchDeg, rollDeg };
      } else problem('camera position is malformed or out of range');
    } else if (key === 'hide') {
      const ids = value.split(',').filter((v) => v !== '');
      const good = ids.filter((id) => layerIdSchema.safeParse(id).success);
      if (good.length !== ids.length) problem('some layer names are not valid');
      state.hiddenLayers = good;
    } else if (key === 'lang') {
      if (isLang(value)) state.lang = value;
      else problem(`language “${clip(value)}” is not available`);
    } else if (key === 't') {
      const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
      if (ms >= TIME_MIN_MS && ms <= TIME_MAX_MS) state.timeIso = new Date(ms).toISOString();
      else problem('time is not a UTC instant between 1990 and 2100');
    } else if (key === 'render') {
      if (value === 'lite') state.lite = true;
      else problem(`render mode “${clip(value)}” is not known`);
    } else if (key === 'sc') {
      // Scenario ids are made by the app (src/state/scenario.ts): the same narrow alphabet as layer ids.
      if (layerIdSchema.safeParse(value).success) state.scenarioId = value;
      else problem('scenario name is not valid');
    } else if (key === 'story') {
      if (layerIdSchema.safeParse(value).success) state.storyId = value;
      else problem('story name is not valid');
    } else if (key === 'slide') {
      if (SLIDE.test(value) && Number(value) <= MAX_SLIDE) state.slideIndex = Number(value) - 1;
      else problem(`slide “${clip(value)}” is not a slide number`);
    } else if (key === 'share') {
      if (SHARE_VALUE.test(value)) state.share = value;
      else problem('the shared content is not valid');
    } else if (key === 'cov') {
      const c = decodeCoverage(value);
      if (c) state.coverage = c;
      else problem('coverage comparison is malformed or out of range');
    } else if (key === 'sens') {
      const [property, op, ...rest] = value.split(',');
      if (rest.length === 0 && property && NAME.test(property) && HEATMAP_OPS.includes(op as HeatmapOp)) state.sensors = { property, op: op as HeatmapOp };
      else problem('sensor quantity or method is not valid');
    } else if (key === 'sun') {
      if (value === '1') state.sun = true;
      else problem(`sun study “${clip(value)}” is not known`);
    } else if (key === 'kiosk') {
      if (value === '1') state.kiosk = true;
      else problem(`kiosk mode “${clip(value)}” is not known`);
    }
  }
  if (state.slideIndex !== undefined && state.storyId === undefined) {
    delete state.slideIndex;
    found.add('slide without story', 'a slide was given without a story');
  }
  return { state, problems: found.list() };
}

/**
 * Problems collected per kind in constant space: the first message of each kind and how often it occurred, and
 * the first few unknown parameter names (a link is shown the user's way, not echoed whole).
 */
function problemCounter() {
  const kinds = new Map<string, { first: string; count: number }>();
  const unknownNames: string[] = [];
  let unknownCount = 0;
  return {
    add(kind: string, message: string): void {
      const k = kinds.get(kind);
      if (k) k.count++;
      else kinds.set(kind, { first: message, count: 1 });
    },
    unknown(name: string): void {
      if (unknownCount++ < 2) unknownNames.push(`“${clip(name)}”`);
    },
    list(): string[] {
      const out: string[] = [];
      if (unknownCount === 1) out.push(`unknown parameter ${unknownNames[0]}`);
      else if (unknownCount > 1) out.push(`${formatCount(unknownCount)} unknown parameters: ${unknownNames.join(', ')}${unknownCount > 2 ? ', …' : ''}`);
      for (const { first, count } of kinds.values()) out.push(count === 1 ? first : `${first} (${formatCount(count)} times)`);
      return out;
    },
  };
}

/** Thousands grouped ("20,000"): the problems are English text put into a translated notice. */
function formatCount(n: number): string {
  return n.toLocaleString('en');
}

/** Keep echoed user input short in notices. */
function clip(s: string): string {
  return s.length > 24 ? `${s.slice(0, 24)}…` : s;
}
