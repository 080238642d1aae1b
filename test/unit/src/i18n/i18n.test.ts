import { describe, expect, it } from 'vitest';
import { cs } from '../../../../src/i18n/cs';
import { de } from '../../../../src/i18n/de';
import { en } from '../../../../src/i18n/en';
import { counted, formatNumber, LANGS, placeName, preferredLang, t } from '../../../../src/i18n';
import { NOUNS, nounForm } from '../../../../src/i18n/plurals';

describe('i18n', () => {
  it('has every key, non-empty where English is, with the same placeholders, in cs and de', () => {
    for (const [name, dict] of [['cs', cs], ['de', de]] as const) {
      expect(Object.keys(dict).toSorted(), name).toEqual(Object.keys(en).toSorted());
      for (const [k, v] of Object.entries(en)) {
        const other = dict[k as keyof typeof en];
        if (v !== '') expect(other, `${name}:${k}`).not.toBe('');
        expect(other.match(/\{\w+\}/g)?.toSorted() ?? [], `${name}:${k}`).toEqual(v.match(/\{\w+\}/g)?.toSorted() ?? []);
      }
    }
  });

  it('fills placeholders and formats numbers per locale', () => {
    expect(t('de', 'error.layer', { layer: 'X', message: 'y' })).toBe('Ebene „X“ konnte nicht geladen werden: y');
    expect(formatNumber('cs', 1051.25, 1)).toBe('1\u00a0051,3');
    expect(formatNumber('de', 1051.25, 1)).toBe('1.051,3');
  });

  it('names regions and countries in the UI language by their ISO code, keeping unknown ones as given', () => {
    expect(placeName('cs', 'DE-BY', 'Bayern')).toBe('Bavorsko');
    expect(placeName('en', 'DE-BY', 'Bayern')).toBe('Bavaria');
    expect(placeName('de', 'CZ', 'Česko')).toBe('Tschechien');
    expect(placeName('cs', 'AT-4', 'Oberösterreich')).toBe('Oberösterreich');
  });

  it('picks the first language it speaks', () => {
    expect(preferredLang(['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(preferredLang(['fr'])).toBe('en');
  });
});

describe('counted nouns in each language’s plural forms', () => {
  it('Czech: 1 prvek, 2 prvky, 5 prvků, 1,5 prvku; 1 hodina, 3 hodiny, 5 hodin', () => {
    expect(t('cs', 'import.summary', { format: 'CSV', features: counted(1, 'feature') })).toBe('CSV · 1 prvek');
    expect(t('cs', 'import.summary', { format: 'CSV', features: counted(2, 'feature') })).toBe('CSV · 2 prvky');
    expect(t('cs', 'import.summary', { format: 'CSV', features: counted(5, 'feature') })).toBe('CSV · 5 prvků');
    expect(t('cs', 'import.summary', { format: 'CSV', features: counted(1.5, 'feature') })).toBe('CSV · 1,5 prvku');
    expect(nounForm('cs', 1.5, 'feature')).toBe('prvku');
    expect(t('cs', 'chart.gaps', { hours: counted(1, 'hour') })).toMatch(/^Bez dat: 1 hodina /);
    expect(t('cs', 'chart.gaps', { hours: counted(3, 'hour') })).toMatch(/^Bez dat: 3 hodiny /);
    expect(t('cs', 'chart.gaps', { hours: counted(5, 'hour') })).toMatch(/^Bez dat: 5 hodin /);
  });

  it('German and English: one and other, with the language’s number format and an estimate marked ≈', () => {
    expect(t('de', 'chart.gaps', { hours: counted(1, 'hour') })).toMatch(/^1 Stunde ohne/);
    expect(t('de', 'chart.gaps', { hours: counted(2, 'hour') })).toMatch(/^2 Stunden ohne/);
    expect(t('en', 'import.summary', { format: 'CSV', features: counted(1, 'feature') })).toBe('CSV · 1 feature');
    expect(t('en', 'import.summary', { format: 'CSV', features: counted(12_500, 'feature', true) })).toBe('CSV · ≈ 12,500 features');
    expect(t('de', 'import.summary', { format: 'CSV', features: counted(12_500, 'feature') })).toBe('CSV · 12.500 Objekte');
  });

  it('every noun has its forms in all three languages', () => {
    for (const [noun, byLang] of Object.entries(NOUNS)) for (const lang of LANGS) expect(byLang[lang].other, `${noun} ${lang}`).toBeTruthy();
  });
});
