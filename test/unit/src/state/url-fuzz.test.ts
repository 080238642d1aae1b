/**
 * Tampered share links: 10,000 generated fragments (valid links mutated, random text, injection payloads, huge
 * values). Decoding never throws, what it keeps is always valid, everything it drops is named, and what it keeps
 * re-encodes to a link that decodes to the same state with no problem (nothing half-applied).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLang } from '../../../../src/i18n';
import { decodeUrlState, encodeUrlState, type UrlState } from '../../../../src/state/url';

const RUNS = Math.max(10_000, Number(process.env['FUZZ_RUNS'] ?? 0));

const validState: fc.Arbitrary<UrlState> = fc.record(
  {
    camera: fc.record({
      lonDeg: fc.double({ min: -180, max: 180, noNaN: true }),
      latDeg: fc.double({ min: -90, max: 90, noNaN: true }),
      heightM: fc.double({ min: 1, max: 4e7, noNaN: true }),
      headingDeg: fc.double({ min: -360, max: 360, noNaN: true }),
      pitchDeg: fc.double({ min: -90, max: 90, noNaN: true }),
      rollDeg: fc.double({ min: -180, max: 180, noNaN: true }),
    }),
    hiddenLayers: fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), { maxLength: 4 }),
    lang: fc.constantFrom('en', 'cs', 'de') as fc.Arbitrary<UrlState['lang']>,
    timeIso: fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString()),
    lite: fc.constant(true),
  },
  { requiredKeys: [] },
);

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '%3Cscript%3E', '\u0000', '\u202e', '../../etc/passwd', '${7*7}', '{{7*7}}', 'NaN', 'Infinity', '-0', '1e999', ''.padEnd(5000, 'A')];

/** A fragment: a valid link with one field mutated, or pieces of random key=value text. */
const fragment = fc.oneof(
  validState.map((s) => encodeUrlState(s)),
  fc.tuple(validState, fc.constantFrom('cam', 'hide', 'lang', 't', 'render', 'evil', '__proto__', 'constructor'), fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })))
    .map(([s, k, v]) => `${encodeUrlState(s)}&${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
  fc.array(fc.tuple(fc.constantFrom('cam', 'hide', 'lang', 't', 'render', 'x'), fc.string({ maxLength: 60 })), { maxLength: 6 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join('&')),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(...PAYLOADS).map((p) => `#${p}`),
);

function assertValid(s: UrlState): void {
  if (s.camera) {
    const c = s.camera;
    for (const v of Object.values(c)) expect(Number.isFinite(v)).toBe(true);
    expect(Math.abs(c.lonDeg)).toBeLessThanOrEqual(180);
    expect(Math.abs(c.latDeg)).toBeLessThanOrEqual(90);
    expect(c.heightM).toBeGreaterThanOrEqual(1);
  }
  for (const id of s.hiddenLayers ?? []) expect(id).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
  if (s.lang !== undefined) expect(isLang(s.lang)).toBe(true);
  if (s.timeIso !== undefined) expect(new Date(s.timeIso).toISOString()).toBe(s.timeIso);
  if (s.lite !== undefined) expect(s.lite).toBe(true);
  expect(Object.keys(s).every((k) => ['camera', 'hiddenLayers', 'lang', 'timeIso', 'lite'].includes(k))).toBe(true);
}

describe('tampered share links', () => {
  it(`${RUNS} generated fragments: never a throw, only valid fields kept, every drop named, nothing half-applied`, () => {
    fc.assert(
      fc.property(fragment, (f) => {
        const { state, problems } = decodeUrlState(f);
        assertValid(state);
        for (const p of problems) expect(p.length).toBeLessThan(120);
        // What was kept is a complete, valid view: it survives a round trip unchanged and without complaint.
        const again = decodeUrlState(encodeUrlState(state));
        expect(again.problems).toEqual([]);
        expect(again.state.lang).toBe(state.lang);
        expect(again.state.timeIso).toBe(state.timeIso);
        expect(again.state.hiddenLayers ?? []).toEqual((state.hiddenLayers ?? []).toSorted());
      }),
      { numRuns: RUNS },
    );
  });

  it('a valid link decodes without problems, and a tampered field is named while the others still apply', () => {
    fc.assert(
      fc.property(validState, (s) => {
        const { problems } = decodeUrlState(encodeUrlState(s));
        expect(problems).toEqual([]);
        const tampered = decodeUrlState(`${encodeUrlState(s)}&t=2500-01-01T00:00:00Z`);
        expect(tampered.problems).toEqual(['time is not a UTC instant between 1990 and 2100']);
        expect(tampered.state.lang).toBe(s.lang);
      }),
      { numRuns: 1000 },
    );
  });
});
