/**
 * Counted nouns in each language's plural forms, chosen by the browser's CLDR rules (`Intl.PluralRules`):
 * Czech has one (1 prvek), few (2–4 prvky), many (decimals: 1,5 prvku) and other (5 prvků); German and English
 * one and other. A message takes the whole phrase as a parameter ("{features}"), so word order stays the
 * translator's.
 */
import type { Lang } from './index';

interface Forms {
  readonly one: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

export const NOUNS = {
  feature: { en: { one: 'feature', other: 'features' }, de: { one: 'Objekt', other: 'Objekte' }, cs: { one: 'prvek', few: 'prvky', many: 'prvku', other: 'prvků' } },
  problem: { en: { one: 'problem', other: 'problems' }, de: { one: 'Problem', other: 'Probleme' }, cs: { one: 'problém', few: 'problémy', many: 'problému', other: 'problémů' } },
  slide: { en: { one: 'slide', other: 'slides' }, de: { one: 'Folie', other: 'Folien' }, cs: { one: 'snímek', few: 'snímky', many: 'snímku', other: 'snímků' } },
  story: { en: { one: 'story', other: 'stories' }, de: { one: 'Story', other: 'Storys' }, cs: { one: 'příběh', few: 'příběhy', many: 'příběhu', other: 'příběhů' } },
  scenario: { en: { one: 'scenario', other: 'scenarios' }, de: { one: 'Szenario', other: 'Szenarien' }, cs: { one: 'scénář', few: 'scénáře', many: 'scénáře', other: 'scénářů' } },
  vertex: { en: { one: 'vertex', other: 'vertices' }, de: { one: 'Punkt', other: 'Punkte' }, cs: { one: 'vrchol', few: 'vrcholy', many: 'vrcholu', other: 'vrcholů' } },
  year: { en: { one: 'year', other: 'years' }, de: { one: 'Jahr', other: 'Jahre' }, cs: { one: 'rok', few: 'roky', many: 'roku', other: 'let' } },
  month: { en: { one: 'month', other: 'months' }, de: { one: 'Monat', other: 'Monate' }, cs: { one: 'měsíc', few: 'měsíce', many: 'měsíce', other: 'měsíců' } },
  hour: { en: { one: 'hour', other: 'hours' }, de: { one: 'Stunde', other: 'Stunden' }, cs: { one: 'hodina', few: 'hodiny', many: 'hodiny', other: 'hodin' } },
  site: { en: { one: 'site', other: 'sites' }, de: { one: 'Standort', other: 'Standorte' }, cs: { one: 'stanoviště', few: 'stanoviště', many: 'stanoviště', other: 'stanovišť' } },
  station: { en: { one: 'station', other: 'stations' }, de: { one: 'Station', other: 'Stationen' }, cs: { one: 'stanice', few: 'stanice', many: 'stanice', other: 'stanic' } },
  stream: { en: { one: 'data stream', other: 'data streams' }, de: { one: 'Datenstrom', other: 'Datenströme' }, cs: { one: 'datový proud', few: 'datové proudy', many: 'datového proudu', other: 'datových proudů' } },
  reading: { en: { one: 'reading', other: 'readings' }, de: { one: 'Messwert', other: 'Messwerte' }, cs: { one: 'měření', few: 'měření', many: 'měření', other: 'měření' } },
  cell: { en: { one: 'grid cell', other: 'grid cells' }, de: { one: 'Rasterzelle', other: 'Rasterzellen' }, cs: { one: 'buňka mřížky', few: 'buňky mřížky', many: 'buňky mřížky', other: 'buněk mřížky' } },
} as const satisfies Record<string, Record<Lang, Forms>>;

export type Noun = keyof typeof NOUNS;

const rules = new Map<Lang, Intl.PluralRules>();

/** The form of `noun` for `n` in `lang` (without the number). */
export function nounForm(lang: Lang, n: number, noun: Noun): string {
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    rules.set(lang, r);
  }
  const forms: Forms = NOUNS[noun][lang];
  const cat = r.select(n);
  return (cat === 'one' || cat === 'few' || cat === 'many' ? forms[cat] : undefined) ?? forms.other;
}
