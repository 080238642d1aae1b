import { describe, expect, it } from 'vitest';
import { prng } from '../../../../core/prng';
import { antennaGainDb, modelTile, rangeOf, tilesAffectedBy, tilesOfGrid } from '../../../../core/coverage/model';
import { PATH_LOSS_MODELS, rmaLosDb, rmaNlosDb } from '../../../../core/coverage/pathloss';
import { demHeightAt, pathProfile } from '../../../../core/coverage/profile';
import type { Dem3035, GridSpec3035, ModelParams, ModelTileResult, SiteArrays, TileSpec } from '../../../../core/coverage/types';
import { centreOf, demOf, sitesOf } from './helpers';

const noPause = { pause: () => Promise.resolve() };

/** The whole grid as one tile. */
const whole = (grid: GridSpec3035): TileSpec => ({ col0: 0, row0: 0, width: grid.width, height: grid.height });

/**
 * The model written out pair by pair, without bounds, primaries or early stops: every site at every cell through
 * `pathProfile`, the best kept (ties to the lower index). What `modelTile` must reproduce.
 */
function reference(grid: GridSpec3035, sites: SiteArrays, params: ModelParams, dem: Dem3035 | null): { rsrp: Float64Array; server: Int32Array; pairs: number } {
  const model = PATH_LOSS_MODELS[params.model];
  const hUtM = params.hUtM ?? 1.5;
  const rangeM = rangeOf(params);
  const terrain = params.terrain === false ? null : dem;
  const rsrp = new Float64Array(grid.width * grid.height).fill(Number.NaN);
  const server = new Int32Array(grid.width * grid.height).fill(-1);
  let pairs = 0;
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const { xM, yM } = centreOf(grid, c, r);
      const gRx = terrain ? demHeightAt(terrain, xM, yM) : Number.NaN;
      let best = Number.NEGATIVE_INFINITY;
      let who = -1;
      for (let i = 0; i < sites.count; i++) {
        const dx = xM - sites.x[i]!;
        const dy = yM - sites.y[i]!;
        const d2D = Math.hypot(dx, dy);
        if (d2D > rangeM) continue;
        pairs++;
        const aglM = sites.antennaAglM[i]!;
        const given = sites.groundM[i]!;
        const gTx = Number.isNaN(given) ? (terrain ? demHeightAt(terrain, sites.x[i]!, sites.y[i]!) : Number.NaN) : given;
        const known = !Number.isNaN(gTx) && !Number.isNaN(gRx);
        const dz = known ? gTx + aglM - gRx - hUtM : aglM - hUtM;
        const dEff = Math.max(d2D, model.validity.dM[0]);
        const d3D = Math.hypot(dEff, dz);
        const gain = antennaGainDb(sites.azimuthDeg[i]!, sites.beamwidthDeg[i]!, (Math.atan2(dx, dy) * 180) / Math.PI);
        let los = false;
        let jDb = 0;
        if (terrain && known) {
          const p = pathProfile(terrain, { xM: sites.x[i]!, yM: sites.y[i]!, groundM: gTx, aglM }, { xM, yM, groundM: gRx, aglM: hUtM }, sites.fMHz[i]!, params.kFactor);
          if (p.terrainKnown) {
            los = p.los;
            jDb = p.diffractionDb;
          }
        }
        const v = sites.eirpDbm[i]! + gain - model.pathLossDb(sites.fMHz[i]!, dEff, d3D, aglM, hUtM, los) - jDb;
        if (v > best || (v === best && i < who)) {
          best = v;
          who = i;
        }
      }
      if (who >= 0) {
        rsrp[r * grid.width + c] = best;
        server[r * grid.width + c] = who;
      }
    }
  }
  return { rsrp, server, pairs };
}

function expectSame(got: ModelTileResult, want: { rsrp: Float64Array; server: Int32Array; pairs: number }): void {
  expect(got.pairs).toBe(want.pairs);
  for (let k = 0; k < want.rsrp.length; k++) {
    if (Number.isNaN(want.rsrp[k]!)) expect(got.rsrpDbm[k], `cell ${k}`).toBeNaN();
    else expect(Math.abs(got.rsrpDbm[k]! - want.rsrp[k]!), `cell ${k}: ${got.rsrpDbm[k]} (site ${got.server[k]}) vs ${want.rsrp[k]} (site ${want.server[k]})`).toBeLessThan(1e-3);
  }
  expect(Array.from(got.server)).toEqual(Array.from(want.server));
}

describe('tiles', () => {
  const grid: GridSpec3035 = { xMinM: 4_000_000, yMaxM: 3_000_000, cellM: 100, width: 10, height: 7 };

  it('cuts the grid row by row, the last column and row narrower', () => {
    expect(tilesOfGrid(grid, 4)).toEqual([
      { col0: 0, row0: 0, width: 4, height: 4 },
      { col0: 4, row0: 0, width: 4, height: 4 },
      { col0: 8, row0: 0, width: 2, height: 4 },
      { col0: 0, row0: 4, width: 4, height: 3 },
      { col0: 4, row0: 4, width: 4, height: 3 },
      { col0: 8, row0: 4, width: 2, height: 3 },
    ]);
    expect(tilesOfGrid(grid, 10)).toEqual([{ col0: 0, row0: 0, width: 10, height: 7 }]);
    expect(() => tilesOfGrid(grid, 0)).toThrow(RangeError);
    expect(() => tilesOfGrid(grid, 2.5)).toThrow(RangeError);
  });

  it('finds the tiles a mast reaches by their cell centres', () => {
    // Mast on the centre of cell (3, 3): tile (0,0) holds cells 0..3. Cell (4, 3) is 100 m east, in tile (4,0).
    const { xM, yM } = centreOf(grid, 3, 3);
    expect(tilesAffectedBy(grid, 4, xM, yM, 99)).toEqual([{ col0: 0, row0: 0, width: 4, height: 4 }]);
    expect(tilesAffectedBy(grid, 4, xM, yM, 100)).toEqual([
      { col0: 0, row0: 0, width: 4, height: 4 },
      { col0: 4, row0: 0, width: 4, height: 4 },
      { col0: 0, row0: 4, width: 4, height: 3 },
    ]);
    // The diagonal neighbour (4, 4) is √2·100 m away.
    expect(tilesAffectedBy(grid, 4, xM, yM, 141.5)).toHaveLength(4);
    // A mast outside the grid still reaches the tiles along its edge.
    expect(tilesAffectedBy(grid, 4, grid.xMinM - 500, yM, 555)).toEqual([{ col0: 0, row0: 0, width: 4, height: 4 }]);
    expect(tilesAffectedBy(grid, 4, grid.xMinM - 500, yM, 540)).toEqual([]);
  });

  it('a mast changes exactly the tiles it reaches in the model', async () => {
    const g: GridSpec3035 = { xMinM: 4_000_000, yMaxM: 3_000_000, cellM: 100, width: 40, height: 30 };
    const rand = prng(5);
    for (let n = 0; n < 5; n++) {
      const site = { xM: g.xMinM + rand() * 4000, yM: g.yMaxM - rand() * 3000 };
      const rangeM = 400 + rand() * 1200;
      const params: ModelParams = { model: 'tr38901-rma', maxRangeM: rangeM };
      const affected = new Set(tilesAffectedBy(g, 8, site.xM, site.yM, rangeM).map((t) => `${t.col0},${t.row0}`));
      for (const tile of tilesOfGrid(g, 8)) {
        const r = await modelTile({ grid: g, tile, sites: sitesOf([site]), params }, null, noPause);
        expect(r.server.some((s) => s === 0), `tile ${tile.col0},${tile.row0}`).toBe(affected.has(`${tile.col0},${tile.row0}`));
      }
    }
  });
});

describe('antenna pattern, TR 38.901 Table 7.3-1', () => {
  it('is −min(12·(φ/φ3dB)², 30) around the azimuth', () => {
    expect(antennaGainDb(90, 65, 90)).toBeCloseTo(0, 12);
    // 60° off a 65° beam: −12·(60/65)² = −10.224852 dB; at the half-power angle −3 dB.
    expect(antennaGainDb(90, 65, 150)).toBeCloseTo(-10.224852, 6);
    expect(antennaGainDb(90, 65, 90 - 32.5)).toBeCloseTo(-3, 12);
    expect(antennaGainDb(90, 65, 270)).toBe(-30);
    // Across north: azimuth 350°, bearing 10° is 20° off: −12·(20/65)² = −1.136095 dB.
    expect(antennaGainDb(350, 65, 10)).toBeCloseTo(-1.136095, 6);
    expect(antennaGainDb(10, 65, -10)).toBeCloseTo(-1.136095, 6);
    expect(antennaGainDb(Number.NaN, 65, 123)).toBe(0);
  });
});

describe('modelTile', () => {
  // Flat ground at 300 m with a 60 m ridge along column 20 (the terrain of profile.test.ts).
  const ridgeGrid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 2_900_000, cellM: 100, width: 60, height: 5 };
  const ridge = demOf(ridgeGrid, (c) => (c === 20 ? 360 : 300));
  const mast = sitesOf([{ ...centreOf(ridgeGrid, 0, 2), aglM: 30, eirpDbm: 40, fMHz: 3500 }]);
  const rma: ModelParams = { model: 'tr38901-rma' };

  it('behind a ridge: EIRP − RMa NLOS − J(ν); in front: EIRP − RMa LOS', async () => {
    const r = await modelTile({ grid: ridgeGrid, tile: whole(ridgeGrid), sites: mast, params: rma }, ridge, noPause);
    // Column 50 of row 2: 5 km, antenna 330 m, receiver 301.5 m; J = 28.140444 dB (profile.test.ts, by hand).
    const d3Behind = Math.hypot(5000, 330 - 301.5);
    expect(r.rsrpDbm[2 * 60 + 50]).toBeCloseTo(40 - rmaNlosDb(3500, 5000, d3Behind, 30, 1.5) - 28.140444, 3);
    // Column 10: 1 km, clear of the ridge, no ground in the Fresnel zone that counts (ν < −0.78).
    const d3Front = Math.hypot(1000, 28.5);
    expect(r.rsrpDbm[2 * 60 + 10]).toBeCloseTo(40 - rmaLosDb(3500, 1000, d3Front, 30, 1.5), 4);
    expect(r.server.every((s) => s === 0)).toBe(true);
    // A higher antenna sees over the ridge.
    const tall = sitesOf([{ ...centreOf(ridgeGrid, 0, 2), aglM: 150, eirpDbm: 40, fMHz: 3500 }]);
    const t = await modelTile({ grid: ridgeGrid, tile: whole(ridgeGrid), sites: tall, params: rma }, ridge, noPause);
    expect(t.rsrpDbm[2 * 60 + 50]).toBeCloseTo(40 - rmaLosDb(3500, 5000, Math.hypot(5000, 450 - 301.5), 150, 1.5), 3);
  });

  it('without terrain knowledge uses the obstructed-path value and no J: no DEM, terrain off, or a gap', async () => {
    const d3 = Math.hypot(5000, 28.5);
    const nlos = 40 - rmaNlosDb(3500, 5000, d3, 30, 1.5);
    const cell = 2 * 60 + 50;
    const noDem = await modelTile({ grid: ridgeGrid, tile: whole(ridgeGrid), sites: mast, params: rma }, null, noPause);
    expect(noDem.rsrpDbm[cell]).toBeCloseTo(nlos, 4);
    expect(noDem.profiles).toBe(0);
    const off = await modelTile({ grid: ridgeGrid, tile: whole(ridgeGrid), sites: mast, params: { ...rma, terrain: false } }, ridge, noPause);
    expect(Array.from(off.rsrpDbm)).toEqual(Array.from(noDem.rsrpDbm));
    const gap = demOf(ridgeGrid, (c, r) => (c === 35 && r === 2 ? Number.NaN : c === 20 ? 360 : 300));
    const g = await modelTile({ grid: ridgeGrid, tile: whole(ridgeGrid), sites: mast, params: rma }, gap, noPause);
    expect(g.rsrpDbm[cell]).toBeCloseTo(nlos, 4);
    // Hata has one value: the same with or without terrain where the terrain is unknown.
    const hata = sitesOf([{ ...centreOf(ridgeGrid, 0, 2), aglM: 30, eirpDbm: 40, fMHz: 1800 }]);
    const h = await modelTile({ grid: ridgeGrid, tile: whole(ridgeGrid), sites: hata, params: { model: 'cost231-hata' } }, null, noPause);
    expect(h.rsrpDbm[cell]).toBeCloseTo(40 - PATH_LOSS_MODELS['cost231-hata'].pathLossDb(1800, 5000, d3, 30, 1.5, false), 4);
  });

  it('takes the site ground from the DEM unless the site gives it', async () => {
    // A site given 100 m higher ground than the DEM's: its antenna clears the ridge.
    const raised = sitesOf([{ ...centreOf(ridgeGrid, 0, 2), groundM: 420, aglM: 30, eirpDbm: 40, fMHz: 3500 }]);
    const r = await modelTile({ grid: ridgeGrid, tile: whole(ridgeGrid), sites: raised, params: rma }, ridge, noPause);
    expect(r.rsrpDbm[2 * 60 + 50]).toBeCloseTo(40 - rmaLosDb(3500, 5000, Math.hypot(5000, 450 - 301.5), 30, 1.5), 3);
  });

  it('weights by the antenna pattern: a sector facing east is 30 dB down towards the west', async () => {
    const grid: GridSpec3035 = { xMinM: 4_000_000, yMaxM: 3_000_000, cellM: 100, width: 41, height: 1 };
    const east = sitesOf([{ ...centreOf(grid, 20, 0), azimuthDeg: 90 }]);
    const omni = sitesOf([{ ...centreOf(grid, 20, 0) }]);
    const e = await modelTile({ grid, tile: whole(grid), sites: east, params: rma }, null, noPause);
    const o = await modelTile({ grid, tile: whole(grid), sites: omni, params: rma }, null, noPause);
    expect(e.rsrpDbm[30]).toBeCloseTo(o.rsrpDbm[30]!, 4);
    expect(e.rsrpDbm[10]).toBeCloseTo(o.rsrpDbm[10]! - 30, 4);
  });

  it('leaves cells beyond the range without a value, and holds the loss inside the validity’s lower distance', async () => {
    const grid: GridSpec3035 = { xMinM: 4_000_000, yMaxM: 3_000_000, cellM: 100, width: 41, height: 1 };
    const site = sitesOf([{ ...centreOf(grid, 20, 0) }]);
    const r = await modelTile({ grid, tile: whole(grid), sites: site, params: { ...rma, maxRangeM: 1000 } }, null, noPause);
    expect(r.rsrpDbm[10]).not.toBeNaN();
    expect(r.rsrpDbm[9]).toBeNaN();
    expect(r.server[9]).toBe(-1);
    expect(r.pairs).toBe(21);
    // The mast's own cell (0 m) gets the 10 m value.
    expect(r.rsrpDbm[20]).toBeCloseTo(40 - rmaNlosDb(3500, 10, Math.hypot(10, 28.5), 30, 1.5), 4);
    // Default range: the model's upper validity distance.
    expect(rangeOf(rma)).toBe(10_000);
    expect(rangeOf({ model: 'cost231-hata' })).toBe(20_000);
  });

  it.each(['tr38901-rma', 'cost231-hata'] as const)('%s: best server equals the pair-by-pair model, over rough terrain with gaps, whatever the tiling', async (modelId) => {
    const grid: GridSpec3035 = { xMinM: 4_200_000, yMaxM: 2_950_000, cellM: 100, width: 40, height: 30 };
    const rand = prng(modelId.length);
    const bumps = Float64Array.from({ length: 40 * 30 }, () => rand());
    const dem = demOf(grid, (c, r) => {
      if (c >= 30 && c < 34 && r >= 5 && r < 9) return Number.NaN;
      return 450 + 60 * Math.sin(c / 4) * Math.cos(r / 5) + 25 * bumps[r * 40 + c]!;
    });
    const f = modelId === 'cost231-hata' ? 1800 : 3500;
    const list = Array.from({ length: 7 }, (_, i) => ({
      xM: grid.xMinM + rand() * 4000,
      yM: grid.yMaxM - rand() * 3000,
      aglM: 20 + rand() * 25,
      azimuthDeg: i % 3 === 0 ? Number.NaN : rand() * 360,
      eirpDbm: 35 + rand() * 10,
      fMHz: f,
      ...(i === 1 ? { groundM: 500 } : {}),
    }));
    // One mast west of the grid (outside the DEM: its own ground given, its paths start off the DEM).
    list.push({ xM: grid.xMinM - 300, yM: grid.yMaxM - 1500, aglM: 40, azimuthDeg: 90, eirpDbm: 46, fMHz: f, groundM: 480 });
    const sites = sitesOf(list);
    const params: ModelParams = { model: modelId, maxRangeM: 2500 };
    const want = reference(grid, sites, params, dem);
    expect(want.server.some((s) => s === 7)).toBe(true);
    const one = await modelTile({ grid, tile: whole(grid), sites, params }, dem, noPause);
    expectSame(one, want);
    // The same grid from 7×7 tiles, stitched.
    const rsrpDbm = new Float32Array(40 * 30);
    const server = new Int32Array(40 * 30);
    let pairs = 0;
    let profiles = 0;
    for (const tile of tilesOfGrid(grid, 7)) {
      const t = await modelTile({ grid, tile, sites, params }, dem, noPause);
      pairs += t.pairs;
      profiles += t.profiles;
      for (let r = 0; r < tile.height; r++) {
        rsrpDbm.set(t.rsrpDbm.subarray(r * tile.width, (r + 1) * tile.width), (tile.row0 + r) * 40 + tile.col0);
        server.set(t.server.subarray(r * tile.width, (r + 1) * tile.width), (tile.row0 + r) * 40 + tile.col0);
      }
    }
    expect(Array.from(rsrpDbm)).toEqual(Array.from(one.rsrpDbm));
    expect(Array.from(server)).toEqual(Array.from(one.server));
    expect(pairs).toBe(want.pairs);
    // Bounds and early stops leave some pairs without a profile.
    expect(profiles).toBeLessThan(pairs);
  });

  it('stops when cancelled and reports progress up to 1', async () => {
    const grid: GridSpec3035 = { xMinM: 4_000_000, yMaxM: 3_000_000, cellM: 100, width: 50, height: 50 };
    const sites = sitesOf([{ ...centreOf(grid, 10, 10) }, { ...centreOf(grid, 40, 40) }]);
    const job = { grid, tile: whole(grid), sites, params: rma };
    const seen: number[] = [];
    await modelTile(job, demOf(grid, () => 300), { ...noPause, onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, k) => k === 0 || f >= seen[k - 1]!)).toBe(true);
    await expect(modelTile(job, null, { ...noPause, isCancelled: () => true })).rejects.toMatchObject({ name: 'JobCancelled' });
    let calls = 0;
    await expect(modelTile(job, null, { ...noPause, isCancelled: () => ++calls > 3 })).rejects.toMatchObject({ name: 'JobCancelled' });
  });

  it('rejects a tile outside the grid and an unknown model', async () => {
    const grid: GridSpec3035 = { xMinM: 4_000_000, yMaxM: 3_000_000, cellM: 100, width: 10, height: 10 };
    const sites = sitesOf([{ ...centreOf(grid, 1, 1) }]);
    await expect(modelTile({ grid, tile: { col0: 5, row0: 0, width: 6, height: 2 }, sites, params: rma }, null)).rejects.toThrow(RangeError);
    await expect(modelTile({ grid, tile: whole(grid), sites, params: { model: 'okumura' as 'tr38901-rma' } }, null)).rejects.toThrow(/unknown path-loss model/);
  });
});
