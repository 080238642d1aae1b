/**
 * Coverage files a user brings, onto the analysis grid:
 *   - `importCoverageGrid`: a coverage grid (CSV of grid cells, or a GeoTIFF raster) -> RSRP in dBm (or covered
 *     flags) per analysis cell;
 *   - `parseSitesCsv`: a list of planned sites -> `SiteArrays` for the propagation model.
 * Pure and DOM-free: runs in the coverage worker, in the page (inline mode) and in node tests. CSV goes through
 * the import worker's helpers (papaparse, delimiter choice, decimal commas, BOM and encodings, CRS detection), so
 * a file that imports as points imports as coverage the same way.
 *
 * A CSV row is one source cell: an INSPIRE / EEA grid cell code (EPSG:3035, e.g. `100mN28910E44550`,
 * `1kmE4455N2891`, `CRS3035RES100mN2891000E4455000`) or the cell centre as x/y in any registered CRS (from a
 * `crs`/`epsg` column, else detected from the column names and value ranges), with an RSRP in dBm or a covered
 * flag. Cells finer than the analysis grid are averaged per analysis cell (by their centre); coarser ones fill the
 * analysis cells whose centres they contain. The size of a centre-given cell comes from a `cell_size` column, else
 * from the spacing of the centres (the smallest gap between distinct eastings / northings): irregular
 * measurement points then have a tiny spacing and are averaged per cell, as they should be.
 *
 * A raster is sampled nearest-neighbour at every analysis cell centre. The centres are transformed into the
 * raster's CRS exactly on a lattice of every 16th cell and bilinearly in between: over 3.2 km the projections'
 * curvature is far below a millimetre, and a million-cell grid needs about 4 000 proj4 calls per pass.
 */
import { uniformNewlines } from '../formats/import/csv';
import { binaryKind, decodeText } from '../formats/import/text';
import { Warnings, cancelCheck, type ImportGridHooks } from './import-common';
import { importCsv } from './import-csv';
import { importGeoTiff, isTiff } from './import-geotiff';
import { CoverageInputError, type ImportedGrid, type ImportGridJob } from './types';

export { MAX_WARNINGS, RSRP_RANGE_DBM, type ImportGridHooks } from './import-common';
export { parseCellCode } from './import-csv-plan';
export { DEFAULT_SECTOR_BEAMWIDTH_DEG, parseFrequencyMHz, parseSitesCsv, type ParsedSites } from './import-sites';

/**
 * A coverage grid file (CSV of grid cells or a GeoTIFF) -> values on `job.grid`. Throws `CoverageInputError` for
 * files it cannot use (with a message for the user), `JobCancelledError` when cancelled. The input bytes are not
 * detached and are handed back.
 */
export async function importCoverageGrid(job: ImportGridJob, hooks: ImportGridHooks = {}): Promise<ImportedGrid> {
  const warnings = new Warnings();
  const bytes = new Uint8Array(job.bytes);
  if (bytes.length === 0) throw new CoverageInputError('empty', `${job.fileName} is empty`);
  cancelCheck(hooks);
  if (isTiff(bytes)) return importGeoTiff(job, hooks, warnings);
  const binary = binaryKind(bytes);
  if (binary) throw new CoverageInputError('unsupported', `${job.fileName} is ${binary}; a coverage grid is a CSV of grid cells or a GeoTIFF`);
  const decoded = decodeText(bytes);
  if (decoded.problem) warnings.add(decoded.problem.message);
  const text = uniformNewlines(decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text);
  if (text.trim() === '') throw new CoverageInputError('empty', `${job.fileName} holds no text`);
  return importCsv(job, text, hooks, warnings);
}
