/**
 * The UI's own strings in Czech, German and English. The dictionaries are typed against the English key set,
 * so a string missing in one language fails the type check. Values are plain text: callers put them in
 * `textContent`, never in HTML.
 */
import { cs } from './cs';
import { de } from './de';
import { en, type MessageKey } from './en';
import { nounForm, type Noun } from './plurals';

export type Lang = 'cs' | 'de' | 'en';
export const LANGS: readonly Lang[] = ['cs', 'de', 'en'];
export type { MessageKey };

const DICTS: Record<Lang, Record<MessageKey, string>> = { cs, de, en };

export function isLang(v: unknown): v is Lang {
  return v === 'cs' || v === 'de' || v === 'en';
}

export function isMessageKey(k: string): k is MessageKey {
  return Object.hasOwn(en, k);
}

/** A number with its noun, rendered in the language's plural form ("3 prvky", "5 prvků"); `approx` prefixes ≈. */
export interface Counted {
  readonly count: number;
  readonly noun: Noun;
  readonly approx?: boolean;
}
export const counted = (count: number, noun: Noun, approx = false): Counted => ({ count, noun, approx });

export type MessageParam = string | number | Counted;

/** Translate `key`, filling `{name}` placeholders from `params` (counted nouns in the right plural form). */
export function t(lang: Lang, key: MessageKey, params: Record<string, MessageParam> = {}): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!(name in params)) return m;
    const v = params[name]!;
    if (typeof v !== 'object') return String(v);
    return `${v.approx ? '≈ ' : ''}${formatNumber(lang, v.count, 2)} ${nounForm(lang, v.count, v.noun)}`;
  });
}

/**
 * A region's or country's name in the UI language from its ISO 3166 code ("DE-BY" → Bavorsko / Bayern / Bavaria,
 * "CZ" → Česko / Tschechien / Czechia); names the twin has no translation for stay as the data gives them.
 */
export function placeName(lang: Lang, code: string, fallback: string): string {
  for (const key of [`region.${code}`, `country.${code}`]) if (isMessageKey(key)) return t(lang, key);
  return fallback;
}

/** Locale-aware number formatting ("1 051,2" in cs, "1.051,2" in de). */
export function formatNumber(lang: Lang, n: number, maximumFractionDigits = 1): string {
  // Building a NumberFormat costs far more than formatting with one: tables format thousands of cells.
  const key = `${lang}:${maximumFractionDigits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, { maximumFractionDigits });
    numberFormats.set(key, f);
  }
  return f.format(n);
}
const numberFormats = new Map<string, Intl.NumberFormat>();

/** The browser's preferred language if we speak it, else English. */
export function preferredLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    const base = l.slice(0, 2).toLowerCase();
    if (isLang(base)) return base;
  }
  return 'en';
}
