/** Buildings, renderer-neutral: a 3D Tiles 1.1 tileset from the pipeline and what the layer list should say about it. */
import type { LayerNote } from '../../state/types';
import type { ManifestEntry } from '../../../core/manifest';

export interface BuildingsDescription {
  readonly id: string;
  readonly url: string;
  readonly estimatedHeights: boolean;
  /**
   * True where the scene has no terrain model under the buildings: the pipeline then set each building on the
   * ellipsoid the globe shows (its true heights stay in its properties, with the shift in `displayShiftM`).
   */
  readonly shownOnEllipsoid: boolean;
}

export function buildingsDescription(entry: ManifestEntry): BuildingsDescription {
  const x = entry.extras ?? {};
  return { id: entry.id, url: entry.url, estimatedHeights: x['estimatedHeights'] === true, shownOnEllipsoid: x['shownOnEllipsoid'] === true };
}

export function buildingsNote(d: BuildingsDescription): LayerNote | undefined {
  if (d.shownOnEllipsoid) return { key: 'buildings.shownOnEllipsoid' };
  if (d.estimatedHeights) return { key: 'buildings.estimatedHeights' };
  return undefined;
}

/**
 * Cesium 3D Tiles style: estimated heights in amber, so they never pass for measured ones; white leaves measured
 * buildings in their own colours (terracotta roofs, grey walls).
 */
export const BUILDING_STYLE = {
  color: {
    conditions: [
      ['${heightEstimated} === true', "color('#ffb000')"],
      ['true', "color('#ffffff')"],
    ],
  },
} as const;
