/**
 * Geodesy step: the grids the browser needs at run time. A regional EGM96 cut (the global 15' grid is
 * 4.2 MB; the region's few hundred posts are enough for every height conversion in the app) and the
 * BETA2007 NTv2 grid, shipped as-is so proj4 can do DHDN <-> ETRS89 like PROJ does.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cropGeoid, geoidToJson } from '../../core/geo/geoid';
import type { ManifestEntry, PipelineContext } from '../context';

/** Region of the regional geoid cut, WGS84 degrees [west, south, east, north]. */
export const GEOID_REGION = [10, 47, 16, 52] as const;

export async function buildGeodesy(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const outDir = join(ctx.outDir, 'geodesy');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const [w, s, e, n] = GEOID_REGION;
  const crop = cropGeoid(ctx.geoid, w, s, e, n);
  writeFileSync(join(outDir, 'egm96-region.json'), `${JSON.stringify(geoidToJson(crop))}\n`);
  // Read + write rather than copy: the raw data is read-only and copyFile would carry that mode over.
  writeFileSync(join(outDir, 'BETA2007.gsb'), readFileSync(join(ctx.dataDir, 'geodesy', 'BETA2007.gsb')));
  ctx.log(`geodesy: egm96-region.json ${crop.cols}x${crop.rows} posts, BETA2007.gsb copied`);
  return [];
}
