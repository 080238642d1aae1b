/**
 * The contract between the terrain step and every step that needs ground heights (buildings, later
 * coverage): one mosaic of all DEM sources found under ../shared/data/dem, finest first.
 */
export interface DemSourceInfo {
  /** File name relative to the data folder, e.g. "dem/N50E011.hgt.zip". */
  readonly file: string;
  /** Human name for the attribution and the "real terrain ends here" outline. */
  readonly title: string;
  readonly licence: string;
  /** Post spacing in metres (approximate, for choosing tile levels). */
  readonly resolutionM: number;
  /** The DEM's coverage as a WGS84 polygon ring [[lon, lat], ...] (closed). */
  readonly footprint: ReadonlyArray<readonly [number, number]>;
  /** Vertical datum of the source heights. */
  readonly verticalDatum: 'EGM96';
}

export interface TerrainModel {
  readonly sources: readonly DemSourceInfo[];
  /** WGS84 ellipsoidal height (source height + EGM96 undulation) at a point, bilinear; null where no source covers it or it is void. */
  heightEllipsoidalM(lonDeg: number, latDeg: number): number | null;
  /** The source's own height value (EGM96 orthometric), bilinear, for tests; null likewise. */
  heightSourceM(lonDeg: number, latDeg: number): number | null;
}
