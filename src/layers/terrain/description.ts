import type { ManifestEntry } from '../../../core/manifest';

/** The terrain layer, renderer-neutral: where its tiles and its coverage outline live (relative URLs). */
export interface TerrainDescription {
  readonly id: string;
  /** Folder holding layer.json, ending in '/'. */
  readonly folderUrl: string;
  readonly coverageUrl: string;
}

export function terrainDescription(entry: ManifestEntry): TerrainDescription {
  // The manifest names either the folder or its layer.json; Cesium wants the folder.
  const folderUrl = entry.url.endsWith('.json') ? entry.url.replace(/[^/]*$/, '') : `${entry.url.replace(/\/$/, '')}/`;
  const coverage = entry.extras?.['coverageUrl'];
  return { id: entry.id, folderUrl, coverageUrl: typeof coverage === 'string' ? coverage : `${folderUrl}coverage.geojson` };
}
