/** A levels-of-detail buildings tileset's entry in the manifest and its `asset.extras.sddi`, from what the writer reports. */
import type { ManifestEntry } from '../../context';
import type { FolderMeta } from '../towns';
import type { HlodResult } from './writer';

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** What a town or folder adds to the tileset's `asset.extras.sddi` besides the ground height. */
export const hlodExtras = (meta: FolderMeta): Record<string, unknown> => ({ title: meta.title, source: meta.source, licence: meta.licence, attribution: meta.attribution });

export interface HlodEntryInput {
  readonly meta: FolderMeta;
  readonly result: HlodResult;
  readonly sourceCrs: string;
  readonly sourceVerticalDatum: string;
  readonly groundKnown: boolean;
  readonly estimatedHeights: boolean;
}

export function hlodEntry(i: HlodEntryInput): ManifestEntry {
  const x = i.result.extent;
  return {
    id: i.meta.id,
    kind: 'buildings',
    url: `buildings/${i.meta.id}/tileset.json`,
    title: i.meta.title,
    source: i.meta.source,
    licence: i.meta.licence,
    attribution: i.meta.attribution,
    sourceCrs: i.sourceCrs,
    sourceVerticalDatum: i.sourceVerticalDatum,
    bbox: [round6(x.west), round6(x.south), round6(x.east), round6(x.north)],
    featureCount: i.result.stats.buildings,
    extras: { groundEllipsoidalM: i.result.groundEllipsoidalM, groundKnown: i.groundKnown, estimatedHeights: i.estimatedHeights },
  };
}
