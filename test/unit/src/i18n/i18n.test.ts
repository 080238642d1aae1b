import { describe, expect, it } from 'vitest';
import { cs } from '../../../../src/i18n/cs';
import { de } from '../../../../src/i18n/de';
import { en } from '../../../../src/i18n/en';
import { formatNumber, placeName, preferredLang, t } from '../../../../src/i18n';

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
