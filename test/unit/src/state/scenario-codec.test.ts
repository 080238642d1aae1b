/**
 * Saved scenarios read back from IndexedDB (hardening R12): a document that is valid comes back as it was; a
 * tampered, truncated or foreign one never makes the decoder throw and never yields a scenario that breaks the
 * scenario rules: bad scenarios are dropped whole, each with a problem. 10,000 generated documents in all
 * (`FUZZ_RUNS` raises the count per property).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enuFrame } from '../../../../core/geo/enu';
import { scenarioProblem, type ProposedBuilding, type Scenario } from '../../../../src/state/scenario';
import { decodeSaved, encodeSaved } from '../../../../src/state/scenario-codec';
import type { ScenarioMast } from '../../../../src/state/types';

const runs = (n: number): number => Math.max(n, Number(process.env['FUZZ_RUNS'] ?? 0));

const idArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/);

/** A rectangle of w × d metres turned by `turn` degrees at a point of the region: always a valid footprint. */
const buildingArb = (id: string): fc.Arbitrary<ProposedBuilding> =>
  fc.record({
    lon: fc.double({ min: 12, max: 14, noNaN: true }),
    lat: fc.double({ min: 48.6, max: 50.4, noNaN: true }),
    w: fc.double({ min: 4, max: 80, noNaN: true }),
    d: fc.double({ min: 4, max: 80, noNaN: true }),
    turn: fc.double({ min: 0, max: 6.28, noNaN: true }),
    heightM: fc.double({ min: 2, max: 400, noNaN: true }),
    storeys: fc.integer({ min: 1, max: 120 }),
    roof: fc.constantFrom('flat' as const, 'gable' as const, 'hip' as const),
    name: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  }).map(({ lon, lat, w, d, turn, heightM, storeys, roof, name }) => {
    const f = enuFrame(lon, lat);
    const c = Math.cos(turn), s = Math.sin(turn);
    const footprint = ([[-w / 2, -d / 2], [w / 2, -d / 2], [w / 2, d / 2], [-w / 2, d / 2]] as const).map(([x, y]) => f.toLonLat(c * x - s * y, s * x + c * y));
    return { id, kind: 'building' as const, footprint, heightM, storeys, roof, ...(name === undefined ? {} : { name }) };
  });

const mastArb = (id: string): fc.Arbitrary<ScenarioMast> =>
  fc.record({
    lonDeg: fc.double({ min: 12, max: 14, noNaN: true }),
    latDeg: fc.double({ min: 48.6, max: 50.4, noNaN: true }),
    antennaAglM: fc.double({ min: 1, max: 300, noNaN: true }),
    operator: fc.constantFrom('262-01', '230-03'),
  }).map((m) => ({ id, kind: 'mast' as const, ...m }));

const scenarioArb = (id: string): fc.Arbitrary<Scenario> =>
  fc.record({
    name: fc.string({ minLength: 1, maxLength: 30 }),
    parentId: fc.option(idArb, { nil: null }),
    nb: fc.integer({ min: 0, max: 3 }),
    nm: fc.integer({ min: 0, max: 2 }),
    nd: fc.integer({ min: 0, max: 2 }),
  }).chain(({ name, parentId, nb, nm, nd }) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: nb }, (_, i) => buildingArb(`b${i}`))),
      fc.tuple(...Array.from({ length: nm }, (_, i) => mastArb(`m${i}`))),
      fc.array(fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/), { minLength: nd, maxLength: nd }),
    ).map(([buildings, masts, features]) => ({
      id, name, parentId, buildings, masts,
      demolitions: features.map((featureId, i) => ({ id: `d${i}`, kind: 'demolition' as const, layerId: 'buildings-regensburg', featureId })),
    })),
  );

const docArb = fc.uniqueArray(idArb, { minLength: 0, maxLength: 3 }).chain((ids) =>
  fc.tuple(fc.tuple(...ids.map(scenarioArb)), fc.option(fc.constantFrom(...ids, 'nope'), { nil: null })).map(([scenarios, active]) => encodeSaved(scenarios, active)),
);

/** Values a damaged or hand-edited document may hold where something else belongs. */
const junk = fc.oneof(
  fc.constantFrom(null, undefined, Number.NaN, Infinity, -Infinity, -0, 1e308, '', '<img src=x onerror=alert(1)>', "x' || true || '", [], {}, true),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 90 }),
  fc.jsonValue({ maxDepth: 2 }),
);

type Path = Array<string | number>;
function paths(v: unknown, here: Path = [], out: Path[] = []): Path[] {
  out.push(here);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...here, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...here, k], out);
  return out;
}

type Tamper = { kind: 'set' | 'delete' | 'duplicate' | 'extra'; pick: number; value: unknown };
function tamper(doc: unknown, t: Tamper): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const all = paths(copy);
  const path = all[t.pick % all.length]!;
  if (path.length === 0) return t.kind === 'set' ? t.value : copy;
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (t.kind === 'set') parent[key] = t.value;
  else if (t.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (t.kind === 'duplicate') {
    if (Array.isArray(parent)) parent.push(structuredClone(parent[key]));
    else parent[`${String(key)}2`] = parent[key];
  } else if (parent && typeof parent === 'object') (parent as Record<string, unknown>)['extra'] = t.value;
  return copy;
}

const tamperArb: fc.Arbitrary<Tamper> = fc.record({ kind: fc.constantFrom('set' as const, 'delete' as const, 'duplicate' as const, 'extra' as const), pick: fc.nat(), value: junk });

/** What the decoder promises for any input. */
function expectSound(raw: unknown): void {
  const r = decodeSaved(raw);
  const ids = new Set<string>();
  for (const s of r.scenarios) {
    expect(scenarioProblem(s)).toBeNull();
    expect(ids.has(s.id)).toBe(false);
    ids.add(s.id);
  }
  if (r.activeScenarioId !== null) expect(ids.has(r.activeScenarioId)).toBe(true);
  for (const p of r.problems) expect(typeof p).toBe('string');
}

describe('saved scenarios: decoding', () => {
  it('returns a valid document as it was, with no problems', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const r = decodeSaved(structuredClone(doc));
        expect(r.problems).toEqual([]);
        expect(r.scenarios).toEqual(doc.scenarios);
        expect(r.activeScenarioId).toBe(doc.scenarios.some((s) => s.id === doc.activeScenarioId) ? doc.activeScenarioId : null);
      }),
      { numRuns: runs(1500), seed: 1201 },
    );
  });

  it('never throws and never yields an invalid scenario for a tampered document (1–3 changes)', () => {
    fc.assert(
      fc.property(docArb, fc.array(tamperArb, { minLength: 1, maxLength: 3 }), (doc, changes) => {
        const raw = changes.reduce<unknown>((d, c) => tamper(d, c), doc);
        expectSound(raw);
        // A tampered scenario is dropped whole or kept as valid; the untouched ones survive.
        const r = decodeSaved(raw);
        expect(r.scenarios.length).toBeLessThanOrEqual(Math.max(doc.scenarios.length + changes.length, 0));
      }),
      { numRuns: runs(6000), seed: 1202 },
    );
  });

  it('never throws for anything at all where the document belongs', () => {
    fc.assert(fc.property(fc.oneof(junk, fc.anything()), (raw) => expectSound(raw)), { numRuns: runs(2500), seed: 1203 });
  });

  it('drops a scenario with a crossing footprint or a repeated id whole, naming it, and keeps the rest', () => {
    const good = fc.sample(docArb.filter((d) => d.scenarios.length >= 2 && d.scenarios[0]!.buildings.length > 0), { numRuns: 1, seed: 7 })[0]!;
    const doc = structuredClone(good) as unknown as { scenarios: Array<{ name: string; buildings: Array<{ footprint: number[][] }> }> };
    const fp = doc.scenarios[0]!.buildings[0]!.footprint;
    doc.scenarios[0]!.buildings[0]!.footprint = [fp[0]!, fp[2]!, fp[1]!, fp[3]!];
    const r = decodeSaved(doc);
    expect(r.scenarios.map((s) => s.id)).toEqual(good.scenarios.slice(1).map((s) => s.id));
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/crosses itself/);
    expect(decodeSaved({ ...good, scenarios: [good.scenarios[1], good.scenarios[1]] }).scenarios).toHaveLength(1);
    expect(decodeSaved({ ...good, version: 2 }).scenarios).toEqual([]);
    expect(decodeSaved(undefined)).toEqual({ scenarios: [], activeScenarioId: null, problems: [] });
  });

  it('survives a document whose getters throw', () => {
    const hostile = { version: 1, get scenarios(): unknown { throw new Error('boom'); } };
    expect(decodeSaved(hostile).problems[0]).toMatch(/cannot be read: boom/);
  });
});
