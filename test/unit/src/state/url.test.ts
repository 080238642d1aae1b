import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, type UrlState } from '../../../../src/state/url';

const camera = { lonDeg: 12.023456, latDeg: 49.019876, heightM: 1400.4, headingDeg: 325.2, pitchDeg: -35, rollDeg: 0 };

describe('URL state', () => {
  it('round-trips a full view', () => {
    const s: UrlState = { camera, hiddenLayers: ['zatec', 'boundaries'], lang: 'cs', lite: true };
    const { state, problems } = decodeUrlState(`#${encodeUrlState(s)}`);
    expect(problems).toEqual([]);
    expect(state).toEqual({ ...s, hiddenLayers: ['boundaries', 'zatec'] });
  });

  it('writes a level camera (Cesium reports roll 360°) as a link that opens again, with readable times', () => {
    const fragment = encodeUrlState({ camera: { lonDeg: 12.1, latDeg: 49.02, heightM: 2500, headingDeg: 360, pitchDeg: -45, rollDeg: 360 }, timeIso: '2025-10-26T01:00:00.000Z' });
    expect(fragment).toBe('cam=12.1,49.02,2500,0,-45,0&t=2025-10-26T01:00:00Z');
    const back = decodeUrlState(fragment);
    expect(back.problems).toEqual([]);
    expect(back.state.camera).toMatchObject({ headingDeg: 0, rollDeg: 0 });
  });

  it('keeps commas readable', () => {
    expect(encodeUrlState({ camera })).toBe('cam=12.023456,49.019876,1400.4,325.2,-35,0');
  });

  it('drops out-of-range and malformed fields, keeps the rest, and names each problem', () => {
    const { state, problems } = decodeUrlState('cam=200,49,1000,0,-30,0&lang=xx&hide=ok,<script>&render=fast&evil=1');
    expect(state.camera).toBeUndefined();
    expect(state.lang).toBeUndefined();
    expect(state.hiddenLayers).toEqual(['ok']);
    expect(problems).toHaveLength(5);
  });

  it('rejects empty and non-numeric camera parts instead of reading them as 0', () => {
    expect(decodeUrlState('cam=12,,1000,0,-30,0').state.camera).toBeUndefined();
    expect(decodeUrlState('cam=12,49,1e999,0,-30,0').state.camera).toBeUndefined();
    expect(decodeUrlState('cam=12,49,1000,0,-30').state.camera).toBeUndefined();
  });

  it('does not parse over-long values', () => {
    const { state, problems } = decodeUrlState(`hide=${'a,'.repeat(5000)}`);
    expect(state.hiddenLayers).toBeUndefined();
    expect(problems[0]).toMatch(/too long/);
  });
});

describe('a link with very many bad parameters', () => {
  it('20,000 unknown parameters are one problem with the count', () => {
    const fragment = Array.from({ length: 20_000 }, (_, i) => `p${i}=1`).join('&');
    const { state, problems } = decodeUrlState(`#lang=de&${fragment}`);
    expect(problems).toEqual(['20,000 unknown parameters: “p0”, “p1”, …']);
    expect(state.lang).toBe('de');
  });

  it('a known parameter repeated with bad values is one problem with the count', () => {
    const { problems } = decodeUrlState(`${'lang=xx&'.repeat(20_000)}ws=nowhere&evil=1`);
    expect(problems).toEqual(['unknown parameter “evil”', 'language “xx” is not available (20,000 times)', 'workspace “nowhere” is not known']);
  });
});
