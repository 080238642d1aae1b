/** Buildings, renderer-neutral: a 3D Tiles 1.1 tileset from the pipeline and what the layer list should say about it. */
import type { LayerNote } from '../../state/types';
import type { ManifestEntry } from '../../../core/manifest';
import { HIGHLIGHT_CSS } from '../../scene/highlight';

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

/** A style condition true for one feature id, reduced to a quote-free alphabet so nothing from data becomes an expression. */
const idIs = (f: string): string => `String(\${id}) === '${f.replace(/[^A-Za-z0-9_.:/-]/g, '')}'`;

/** A style `show` expression hiding these features (ids are validated to a quote-free alphabet when marked). */
export function demolitionShow(featureIds: readonly string[]): string {
  return `!(${featureIds.map(idIs).join(' || ')})`;
}

/**
 * The layer's style: demolished buildings hidden, the selected one in the selection's colour by its id (so the
 * highlight holds in whichever tile draws it: a parent's block from afar, the LoD2 leaf up close), the rest as
 * BUILDING_STYLE. `show` is always given: a style without one leaves hidden features hidden (Cesium keeps their
 * last state).
 */
export function buildingStyle(demolished: readonly string[], selected: string | null): { color: { conditions: (readonly [string, string])[] }; show: string } {
  const conditions: (readonly [string, string])[] = [...BUILDING_STYLE.color.conditions];
  if (selected !== null) conditions.unshift([idIs(selected), `color('${HIGHLIGHT_CSS}')`]);
  return { color: { conditions }, show: demolished.length === 0 ? 'true' : demolitionShow(demolished) };
}
