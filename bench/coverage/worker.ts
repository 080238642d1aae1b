/**
 * A node worker thread for the coverage bench: the same pure `modelTile` the app's coverage worker runs, fed
 * tile by tile. The terrain and the sites arrive once (`setup`), like the app pool's `init`.
 */
import { parentPort } from 'node:worker_threads';
import { modelTile } from '../../core/coverage/model';
import { wholeBuffers } from '../../core/jobs/progress';
import type { Dem3035, GridSpec3035, ModelParams, SiteArrays, TileSpec } from '../../core/coverage/types';

export type ToWorker =
  | { readonly kind: 'setup'; readonly dem: Dem3035; readonly grid: GridSpec3035; readonly sites: SiteArrays; readonly params: ModelParams }
  | { readonly kind: 'tile'; readonly id: number; readonly tile: TileSpec };
export interface FromWorker {
  readonly id: number;
  readonly tile: TileSpec;
  readonly rsrpDbm: Float32Array;
  readonly pairs: number;
  readonly profiles: number;
}

let setup: Extract<ToWorker, { kind: 'setup' }> | null = null;
const port = parentPort;
if (!port) throw new Error('bench/coverage/worker.ts runs as a worker thread');
port.on('message', (m: ToWorker) => {
  if (m.kind === 'setup') {
    setup = m;
    port.postMessage({ id: -1 });
    return;
  }
  const s = setup;
  if (!s) throw new Error('tile before setup');
  // No yielding between rows: nothing here can cancel, and the bench measures the modelling itself.
  void modelTile({ grid: s.grid, tile: m.tile, sites: s.sites, params: s.params }, s.dem, { pause: () => Promise.resolve() }).then((r) => {
    const reply: FromWorker = { id: m.id, tile: r.tile, rsrpDbm: r.rsrpDbm, pairs: r.pairs, profiles: r.profiles };
    port.postMessage(reply, wholeBuffers([r.rsrpDbm]));
  });
});
