/**
 * Language switching at run time: after choosing Czech, then German, no English UI string is left on the page.
 * "English" is every dictionary string whose Czech (or German) version differs, as a pattern with its
 * placeholders open, so a string the code builds without the dictionary is caught only if it repeats one of
 * them; text quoted verbatim from data owners carries its own `lang` and is skipped.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { cs } from '../../src/i18n/cs';
import { de } from '../../src/i18n/de';
import { en } from '../../src/i18n/en';
import { openTwin, twinSession, waitIdle, type Session } from './harness';

type Dict = Record<keyof typeof en, string>;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** English strings that the other language has in its own words, as whole-text patterns and as substrings. */
function englishOnly(other: Dict): { patterns: RegExp[]; fragments: string[] } {
  const patterns: RegExp[] = [];
  const fragments: string[] = [];
  for (const [k, v] of Object.entries(en) as Array<[keyof typeof en, string]>) {
    if (v === other[k] || v.trim() === '') continue;
    const parts = v.split(/\{\w+\}/);
    patterns.push(new RegExp(`^${parts.map(escape).join('.+?')}$`, 's'));
    // Long fixed pieces are recognisable inside composed text too ("… · 17 sites").
    for (const p of parts) if (p.trim().length >= 12) fragments.push(p.trim());
  }
  return { patterns, fragments };
}

/** Every visible text of the UI and its labels, except text that declares a language of its own. */
function uiTexts(s: Session): Promise<string[]> {
  return s.page.evaluate(() => {
    const root = document.getElementById('ui')!;
    // oxlint-disable-next-line unicorn/consistent-function-scoping -- runs in the page, where module scope does not exist
    const own = (el: Element | null) => !el?.closest('[lang]') || el.closest('[lang]') === document.documentElement;
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim() ?? '';
      if (text && el && own(el) && el.closest('[hidden]') === null) out.push(text);
    }
    for (const el of root.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!own(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  });
}

async function switchTo(s: Session, lang: 'cs' | 'de'): Promise<void> {
  await s.page.selectOption('.lang select', lang);
  await s.page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await waitIdle(s.page);
}

describe('languages in Chromium', () => {
  // Every layer on (`hide=` lists none): the test covers all of them.
  const session = twinSession((s) => openTwin(s, 'hide='));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  for (const [lang, dict] of [['cs', cs], ['de', de]] as const) {
    it(`switching to ${lang} leaves no English UI string`, async () => {
      await s.page.waitForFunction(() => {
        const c = (window as unknown as { sddiTwin: { store: { getState(): { layers: Record<string, { coverage?: { frames: number } }> } } } }).sddiTwin.store.getState().layers['coverage']?.coverage;
        return (c?.frames ?? 0) > 0;
      }, undefined, { timeout: 180_000 });
      await switchTo(s, lang);
      // Open what is closed by default: the data sources panel.
      await s.page.click('.attribution-button');
      const texts = await uiTexts(s);
      expect(texts.length).toBeGreaterThan(100);
      const { patterns, fragments } = englishOnly(dict);
      const english = texts.filter((text) => patterns.some((p) => p.test(text)) || fragments.some((f) => text.includes(f)));
      expect(english).toEqual([]);
      await s.page.keyboard.press('Escape');
      await s.page.click('.attribution .close');
    });
  }

  it('every control on screen has an accessible name and takes keyboard focus', async () => {
    const unnamed = await s.page.evaluate(() => {
      const out: string[] = [];
      const controls = document.querySelectorAll<HTMLElement>('#ui button, #ui select, #ui input, #ui textarea, #ui [role="slider"], #ui a[href]');
      for (const el of controls) {
        if (el.closest('[hidden]') || (el instanceof HTMLInputElement && el.type === 'file') || el.offsetParent === null) continue;
        const labelled = el.getAttribute('aria-labelledby')?.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
        const byLabel = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : undefined;
        const name = [el.getAttribute('aria-label'), labelled, byLabel, el.closest('label')?.textContent, el.textContent, el.getAttribute('title')].find((v) => (v ?? '').trim() !== '');
        if (!name) out.push(el.outerHTML.slice(0, 120));
        if (el.tabIndex < 0) out.push(`not focusable: ${el.outerHTML.slice(0, 120)}`);
      }
      return out;
    });
    expect(unnamed).toEqual([]);
  });

  it('had no page errors', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
