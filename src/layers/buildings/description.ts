/** Buildings, renderer-neutral: a 3D Tiles 1.1 tileset from the pipeline and how to place it honestly. */
import type { ManifestEntry } from '../manifest';

export interface BuildingsDescription {
  readonly id: string;
  readonly url: string;
  readonly centre: readonly [number, number];
  /** Median ellipsoidal ground height of the buildings, from the source's own heights. */
  readonly groundEllipsoidalM: number;
  /** False where the source has no ground heights (then the pipeline set the ground on the scene's surface). */
  readonly groundKnown: boolean;
  readonly estimatedHeights: boolean;
}

export function buildingsDescription(entry: ManifestEntry): BuildingsDescription {
  const x = entry.extras ?? {};
  const [w, s, e, n] = entry.bbox;
  return {
    id: entry.id,
    url: entry.url,
    centre: [(w + e) / 2, (s + n) / 2],
    groundEllipsoidalM: typeof x['groundEllipsoidalM'] === 'number' ? x['groundEllipsoidalM'] : 0,
    groundKnown: x['groundKnown'] === true,
    estimatedHeights: x['estimatedHeights'] === true,
  };
}

/**
 * Buildings carry true ellipsoidal heights. Where the scene has no terrain model the globe is the bare
 * ellipsoid, and true heights would float hundreds of metres above it, so the whole tileset is lowered onto
 * the ellipsoid for display. The offset is shown in the layer list; picked properties keep the true heights.
 */
export function displayOffsetM(d: BuildingsDescription, terrainCoversCentre: boolean): number {
  if (!d.groundKnown || terrainCoversCentre) return 0;
  return -Math.round(d.groundEllipsoidalM * 10) / 10;
}

/** Cesium 3D Tiles style: estimated heights in amber, so they never pass for measured ones. */
export const BUILDING_STYLE = {
  color: {
    conditions: [
      ['${heightEstimated} === true', "color('#f5b342')"],
      ['true', "color('#ffffff')"],
    ],
  },
} as const;
