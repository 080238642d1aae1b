/**
 * The app's use of the coverage pool: a modelled grid as tiles computed in parallel, a few at a time (a newer
 * request for the same grid stops the older one), colouring, comparison, statistics and file import, with job
 * events into the store.
 *
 * The pool starts when the coverage layer hands over its terrain (`provideDem`), not with the page: a page
 * without the layer starts no coverage workers. Grids are copied to the worker (`transfer: []`), not moved:
 * the layer keeps every grid it has computed, and a 1 M-cell grid copies in about a millisecond.
 */
import type { AppStore } from '../state/store';
import type {
  CompareJob,
  CompareResult,
  Dem3035,
  GridSpec3035,
  ImportGridJob,
  ImportedGrid,
  ModelParams,
  RenderJob,
  RenderResult,
  SiteArrays,
  StatsJob,
  TileSpec,
  ZoneStats,
} from '../../core/coverage/types';
import { createCoveragePool, type CoveragePool } from './coverage-pool';
import { JobSupersededError } from './pool';
import { poolNotices } from './reproject-service';

export interface ModelGridRequest {
  /** Jobs of one grid share this key: a new request with the same key supersedes the older one's tiles. */
  readonly key: string;
  readonly grid: GridSpec3035;
  readonly sites: SiteArrays;
  readonly params: ModelParams;
  /** All tiles of the grid, or only those to recompute (then `base` holds the rest). */
  readonly tiles: readonly TileSpec[];
  readonly base?: Float32Array;
  readonly onProgress?: (fraction: number) => void;
}

export interface CoverageService {
  /** Starts the pool; its workers get this terrain before their first job. Later calls are ignored. */
  provideDem(dem: Dem3035 | null): void;
  modelGrid(request: ModelGridRequest): Promise<Float32Array>;
  /** Stops a grid's request: no further tiles, running ones dropped; its `modelGrid` rejects as cancelled. */
  cancelGrid(key: string): void;
  render(key: string, job: RenderJob): Promise<RenderResult>;
  compare(key: string, job: CompareJob): Promise<CompareResult>;
  stats(key: string, job: StatsJob): Promise<ZoneStats[]>;
  importGrid(key: string, job: ImportGridJob, onProgress?: (f: number) => void): Promise<ImportedGrid>;
}

/**
 * Tiles of one grid in flight at once: enough to keep every worker busy with the next tile queued, few enough
 * that the pool's bounded queue never fills and a cancel has little to drop.
 */
const TILES_IN_FLIGHT = 4;

export function startCoverage(store: AppStore): CoverageService {
  let pool: CoveragePool | null = null;
  /** The grid request running per key; a new one with the same key stops it. */
  const active = new Map<string, { stop(): void }>();
  const need = (): CoveragePool => {
    if (!pool) throw new Error('the coverage workers have not been started (no terrain handed over yet)');
    return pool;
  };
  return {
    provideDem(dem) {
      if (pool) return;
      pool = createCoveragePool({
        onJobEvent: (e) => store.getState().updateJob(e),
        onPoolEvent: poolNotices(store, 'Coverage'),
        loadInit: () => Promise.resolve(dem),
      });
    },
    async modelGrid({ key, grid, sites, params, tiles, base, onProgress }) {
      const p = need();
      active.get(key)?.stop();
      const out = base ? base.slice() : new Float32Array(grid.width * grid.height).fill(Number.NaN);
      const pending = [...tiles];
      const running = new Set<string>();
      let stopped = false;
      // Read through a function: `stop()` sets the flag from outside while the lanes await.
      const isStopped = (): boolean => stopped;
      const me = {
        stop() {
          stopped = true;
          for (const k of running) p.cancel(k);
        },
      };
      active.set(key, me);
      let done = 0;
      onProgress?.(0);
      const lane = async (): Promise<void> => {
        for (let tile = pending.shift(); tile && !isStopped(); tile = pending.shift()) {
          // Keyed per tile position, so a tile can be dropped on its own.
          const tileKey = `${key}:${tile.col0},${tile.row0}`;
          running.add(tileKey);
          try {
            const r = await p.run('modelTile', tileKey, { grid, tile, sites, params }, { transfer: [] });
            for (let row = 0; row < tile.height; row++) {
              out.set(r.rsrpDbm.subarray(row * tile.width, (row + 1) * tile.width), (tile.row0 + row) * grid.width + tile.col0);
            }
          } finally {
            running.delete(tileKey);
          }
          if (!stopped) onProgress?.(++done / tiles.length);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(TILES_IN_FLIGHT, tiles.length) }, lane));
      } finally {
        if (active.get(key) === me) active.delete(key);
      }
      if (stopped) throw new JobSupersededError(-1, key, 'cancelled', `coverage grid ${key} was stopped`);
      return out;
    },
    cancelGrid(key) {
      active.get(key)?.stop();
    },
    render: (key, job) => need().run('render', key, job, { transfer: [] }),
    compare: (key, job) => need().run('compare', key, job, { transfer: [] }),
    stats: (key, job) => need().run('stats', key, job, { transfer: [] }),
    importGrid: (key, job, onProgress) => need().run('importGrid', key, job, { onProgress }),
  };
}
