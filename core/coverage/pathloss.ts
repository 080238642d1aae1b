/**
 * Path-loss models for 5G coverage: each with its source, its range of validity (shown in the page beside the
 * map, so a prediction outside it is visibly an extrapolation) and one function of the same shape, so the
 * coverage model treats them alike. Losses are median values in dB, without shadow fading: a coverage map shows
 * where the median signal reaches, the fading margin belongs in the threshold.
 *
 * Heights are antenna heights above the local ground (what the formulas were fitted on); distances in metres,
 * frequencies in MHz (converted to the unit each formula is written in).
 */
import type { PathLossModelId, Validity } from './types';

export interface PathLossModel {
  readonly id: PathLossModelId;
  /** Display name. */
  readonly name: string;
  /** Document and table or equation the formula is taken from. */
  readonly citation: string;
  readonly validity: Validity;
  /** What the page should say besides the validity (calibration limits, fixed parameters). */
  readonly notes: string;
  /** True when the model has separate LOS and NLOS formulas (the terrain profile then decides which applies). */
  readonly hasLos: boolean;
  /**
   * Median path loss in dB. `d2DM` is the horizontal distance, `d3DM` the distance between the antennas;
   * `los` picks the LOS or NLOS formula where the model has both, and is ignored otherwise.
   */
  pathLossDb(fMHz: number, d2DM: number, d3DM: number, hBsM: number, hUtM: number, los: boolean): number;
}

/** TR 38.901 §7.4.1 writes c = 3.0·10⁸ m/s into its breakpoint distance; kept as written so values match the table. */
const C_TR38901_M_PER_S = 3.0e8;

/** RMa defaults of TR 38.901 Table 7.4.1-1 (applicability ranges 5–50 m): a rural village, not a town. */
export const RMA_BUILDING_HEIGHT_M = 5;
export const RMA_STREET_WIDTH_M = 20;

/** RMa breakpoint distance (TR 38.901 Table 7.4.1-1, note 5): d_BP = 2π·h_BS·h_UT·f_c/c, f_c in Hz. */
export function rmaBreakpointM(fMHz: number, hBsM: number, hUtM: number): number {
  return (2 * Math.PI * hBsM * hUtM * fMHz * 1e6) / C_TR38901_M_PER_S;
}

/** The terms of RMa PL1 that depend on the building height only, for the default height computed once. */
function rmaHeightTerms(hM: number): { slope: number; offset: number; linear: number } {
  const h172 = Math.pow(hM, 1.72);
  return { slope: 20 + Math.min(0.03 * h172, 10), offset: Math.min(0.044 * h172, 14.77), linear: 0.002 * Math.log10(hM) };
}
const RMA_DEFAULT_TERMS = rmaHeightTerms(RMA_BUILDING_HEIGHT_M);

/**
 * RMa PL1 (TR 38.901 Table 7.4.1-1), f_c in GHz, d in metres (the 3D distance, or d_BP for PL2's anchor):
 * 20·log10(40π·d·f_c/3) + min(0.03·h^1.72, 10)·log10(d) − min(0.044·h^1.72, 14.77) + 0.002·log10(h)·d,
 * with the two log10(d) terms gathered into one.
 */
function rmaPl1Db(fGHz: number, dM: number, hM: number): number {
  const { slope, offset, linear } = hM === RMA_BUILDING_HEIGHT_M ? RMA_DEFAULT_TERMS : rmaHeightTerms(hM);
  return 20 * Math.log10((40 * Math.PI * fGHz) / 3) + slope * Math.log10(dM) - offset + linear * dM;
}

/**
 * RMa LOS (TR 38.901 V17 Table 7.4.1-1): PL1(d3D) for 10 m ≤ d2D ≤ d_BP, PL2 = PL1(d_BP) + 40·log10(d3D/d_BP)
 * for d_BP ≤ d2D ≤ 10 km. The switch is on d2D, as in the table.
 */
export function rmaLosDb(fMHz: number, d2DM: number, d3DM: number, hBsM: number, hUtM: number, hM = RMA_BUILDING_HEIGHT_M): number {
  const fGHz = fMHz / 1000;
  const dBpM = rmaBreakpointM(fMHz, hBsM, hUtM);
  if (d2DM <= dBpM) return rmaPl1Db(fGHz, d3DM, hM);
  return rmaPl1Db(fGHz, dBpM, hM) + 40 * Math.log10(d3DM / dBpM);
}

/**
 * RMa NLOS (TR 38.901 V17 Table 7.4.1-1): max(PL_LOS, PL'_NLOS), the maximum so that an obstructed path never
 * predicts less loss than a clear one (which PL'_NLOS alone does close to the mast).
 */
export function rmaNlosDb(
  fMHz: number, d2DM: number, d3DM: number, hBsM: number, hUtM: number,
  hM = RMA_BUILDING_HEIGHT_M, wM = RMA_STREET_WIDTH_M,
): number {
  const fGHz = fMHz / 1000;
  const lgHut = Math.log10(11.75 * hUtM);
  const plNlos =
    161.04 -
    7.1 * Math.log10(wM) +
    7.5 * Math.log10(hM) -
    (24.37 - 3.7 * (hM / hBsM) ** 2) * Math.log10(hBsM) +
    (43.42 - 3.1 * Math.log10(hBsM)) * (Math.log10(d3DM) - 3) +
    20 * Math.log10(fGHz) -
    (3.2 * lgHut * lgHut - 4.97);
  return Math.max(rmaLosDb(fMHz, d2DM, d3DM, hBsM, hUtM, hM), plNlos);
}

/**
 * COST 231-Hata (COST Action 231 final report, "Digital mobile radio towards future generation systems", 1999,
 * ch. 4.4), medium-sized city and suburban centres: C_m = 0 dB, with the small/medium-city mobile
 * antenna correction a(h_m) = (1.1·log f − 0.7)·h_m − (1.56·log f − 0.8); f in MHz, d in km. The formula
 * has no LOS notion: one value for every path (the terrain still adds its knife-edge loss).
 */
export function cost231HataDb(fMHz: number, d2DM: number, hBsM: number, hUtM: number): number {
  const lgF = Math.log10(fMHz);
  const lgHb = Math.log10(hBsM);
  const aHm = (1.1 * lgF - 0.7) * hUtM - (1.56 * lgF - 0.8);
  return 46.3 + 33.9 * lgF - 13.82 * lgHb - aHm + (44.9 - 6.55 * lgHb) * Math.log10(d2DM / 1000);
}

export const PATH_LOSS_MODELS: Readonly<Record<PathLossModelId, PathLossModel>> = {
  'tr38901-rma': {
    id: 'tr38901-rma',
    name: '3GPP TR 38.901 Rural Macro (RMa)',
    citation: '3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (RMa LOS and NLOS), breakpoint distance per note 5',
    validity: { fMHz: [500, 30_000], dM: [10, 10_000], dNlosM: [10, 5_000], hBsM: [10, 150], hUtM: [1, 10] },
    notes:
      'Calibrated with measurements up to 7 GHz only (the table allows 0.5–30 GHz). Average building height 5 m, street width 20 m. ' +
      'NLOS beyond 5 km and LOS beyond 10 km are extrapolations.',
    hasLos: true,
    pathLossDb: (fMHz, d2DM, d3DM, hBsM, hUtM, los) =>
      los ? rmaLosDb(fMHz, d2DM, d3DM, hBsM, hUtM) : rmaNlosDb(fMHz, d2DM, d3DM, hBsM, hUtM),
  },
  'cost231-hata': {
    id: 'cost231-hata',
    name: 'COST 231-Hata (suburban / medium city)',
    citation: 'COST Action 231 final report (1999), ch. 4.4, COST 231-Hata model, C_m = 0 dB',
    validity: { fMHz: [1500, 2000], dM: [1000, 20_000], hBsM: [30, 200], hUtM: [1, 10] },
    notes: 'For macro cells with the antenna above the surrounding rooftops; no line-of-sight notion.',
    hasLos: false,
    pathLossDb: (fMHz, d2DM, _d3DM, hBsM, hUtM) => cost231HataDb(fMHz, d2DM, hBsM, hUtM),
  },
};
