/** Buildings, renderer-neutral: a 3D Tiles 1.1 tileset from the pipeline and what the layer list should say about it. */
import type { LayerNote } from '../../state/types';
import type { ManifestEntry } from '../../../core/manifest';

export interface BuildingsDescription {
  readonly id: string;
  readonly url: string;
  readonly estimatedHeights: boolean;
}

export function buildingsDescription(entry: ManifestEntry): BuildingsDescription {
  const x = entry.extras ?? {};
  return { id: entry.id, url: entry.url, estimatedHeights: x['estimatedHeights'] === true };
}

export function buildingsNote(d: BuildingsDescription): LayerNote | undefined {
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
