import { describe, expect, it } from 'vitest';
import { clipText, DISPLAY_MAX_CHARS, valueFileName } from '../../../../src/ui/clip-text';

describe('clipText', () => {
  it('shortens a 4 MiB value to the display limit and states its full length', () => {
    const big = 'x'.repeat(4 * 1024 * 1024);
    const c = clipText(big);
    expect(c.clipped).toBe(true);
    expect(c.shown).toHaveLength(DISPLAY_MAX_CHARS);
    expect(c.length).toBe(4_194_304);
  });

  it('keeps short values whole', () => {
    expect(clipText('Žatec, Náměstí 1')).toEqual({ shown: 'Žatec, Náměstí 1', clipped: false, length: 16 });
    const exact = 'a'.repeat(DISPLAY_MAX_CHARS);
    expect(clipText(exact)).toEqual({ shown: exact, clipped: false, length: DISPLAY_MAX_CHARS });
  });

  it('counts and cuts by characters, never inside a surrogate pair', () => {
    const emoji = '😀'.repeat(10);
    const c = clipText(emoji, 3);
    expect(c).toEqual({ shown: '😀😀😀', clipped: true, length: 10 });
    // Ten emoji are 20 UTF-16 units but only 10 characters: within a limit of 10 nothing is cut.
    expect(clipText(emoji, 10)).toEqual({ shown: emoji, clipped: false, length: 10 });
  });

  it('treats a lone surrogate as one character', () => {
    const c = clipText('\ud800abc', 2);
    expect(c).toEqual({ shown: '\ud800a', clipped: true, length: 4 });
  });
});

describe('valueFileName', () => {
  it('keeps letters and digits and replaces the rest', () => {
    expect(valueFileName('popis')).toBe('popis.txt');
    expect(valueFileName('../../etc/passwd')).toBe('etc_passwd.txt');
    expect(valueFileName('<img src=x>')).toBe('img_src_x_.txt');
    expect(valueFileName('')).toBe('value.txt');
  });
});
