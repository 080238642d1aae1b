/** Options and results of the reprojection calls, and the chunking hooks every long job shares. */
import type { CoordBuffer, EcefBuffer } from '../geo/buffers';
import type { Epsg } from '../geo/crs';
import type { GeoidGrid } from '../geo/geoid';

export interface ChunkHooks {
  /** Points per chunk; progress, cancellation and yielding happen between chunks. */
  chunkPoints?: number;
  /** Called after every chunk with the fraction done (0 < f <= 1); called once with 1 for an empty buffer. */
  onProgress?: (fraction: number) => void;
  /** Polled before each chunk; true rejects the call with `JobCancelledError`. */
  isCancelled?: () => boolean;
  /**
   * Awaited between chunks. The default gives the event loop a turn, so a worker can receive its `cancel`
   * message and an inline job does not freeze the page.
   */
  yieldBetweenChunks?: () => Promise<void>;
}

/**
 * Points outside the area of use of the source or target CRS. 'keep' (default) transforms them anyway and only
 * counts them: Bavaria publishes all of its data in UTM 32 although most of the border region lies east of
 * zone 32's nominal 12.01 degrees E, and proj4's extended transverse Mercator stays exact there. 'fail' writes
 * NaN for them and counts them as failed too.
 */
export type OutsideAreaPolicy = 'keep' | 'fail';

export interface PointStats {
  /** Points written as NaN: non-finite input, a transform proj4 could not do, or a height the geoid does not cover. */
  failed: number;
  /** Points outside the source or target CRS's area of use (their accuracy is not known); see `OutsideAreaPolicy`. */
  outsideArea: number;
  /** Index of the first failed point, -1 when none failed, so a message can name a real coordinate. */
  firstFailed: number;
}

export interface ReprojectOptions extends ChunkHooks {
  /** 'carry' (default) copies z and keeps the vertical datum; 'ellipsoidal' converts z to WGS84 ellipsoidal heights. */
  heights?: 'carry' | 'ellipsoidal';
  /** Needed when `heights` is 'ellipsoidal' and the input's vertical datum is not. */
  geoid?: GeoidGrid | null;
  outsideArea?: OutsideAreaPolicy;
  /** Write the result into `input.xyz` instead of a new array (the input is then consumed). */
  inPlace?: boolean;
}

export interface ReprojectResult<T extends Epsg = Epsg> extends PointStats {
  readonly buffer: CoordBuffer<T>;
}

export interface ToEcefOptions extends ChunkHooks {
  outsideArea?: OutsideAreaPolicy;
  /**
   * 'auto' (default) takes the Helmert fast path for a source on a Helmert datum (S-JTSK: 5514, 5513) and the
   * generic path otherwise; 'generic' always goes through proj4's WGS84 lon/lat (comparisons, benches).
   * Both give the same points within a few micrometres.
   */
  path?: 'auto' | 'generic';
  /** Write the result into `input.xyz` instead of a new array (the input is then consumed). */
  inPlace?: boolean;
}

export interface ToEcefResult extends PointStats {
  readonly buffer: EcefBuffer;
}

/** Converts z to an ellipsoidal height at lon/lat (degrees); null: z is carried as it is. */
export type HeightFn = ((z: number, lon: number, lat: number) => number) | null;
