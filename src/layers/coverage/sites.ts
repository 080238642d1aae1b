/**
 * Sites of one coverage source as the model's flat arrays: the operator's cell sites plus the scenario's masts,
 * with the assumed radio parameters of the chosen band. Pure, tested in node.
 */
import type { ScenarioMast } from '../../state/types';
import type { ModelParams, PathLossModelId, SiteArrays } from '../../../core/coverage/types';
import { siteArraysFromFile } from '../../../core/coverage/dataset';
import type { CoverageData, SiteRecord } from './data';

/**
 * The path-loss model per band: TR 38.901 RMa covers 0.5–30 GHz (700 MHz and 3.5 GHz); COST 231-Hata was fitted
 * for 1.5–2 GHz and is the usual choice at 1800 MHz.
 */
export function modelForBand(bandMHz: number): PathLossModelId {
  return bandMHz >= 1500 && bandMHz <= 2000 ? 'cost231-hata' : 'tr38901-rma';
}

export function modelParams(bandMHz: number): ModelParams {
  return { model: modelForBand(bandMHz), hUtM: 1.5, terrain: true, kFactor: 4 / 3 };
}

/** What a source's sites are made of, in one order: the operator's sites, then its proposed masts. */
export interface SourceSites {
  readonly arrays: SiteArrays;
  /** Per site: the data record, or the mast it came from. */
  readonly origin: ReadonlyArray<{ readonly site: SiteRecord } | { readonly mast: ScenarioMast }>;
}

function appended<T extends Float32Array | Float64Array>(head: T, tail: ArrayLike<number>): T {
  const out = new (head.constructor as new (n: number) => T)(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/** The operator's sites in `bandMHz` (assumptions from the file) plus its proposed masts, in the same band. */
export function sourceSites(data: CoverageData, operator: string, bandMHz: number, masts: readonly ScenarioMast[], toLaea: (lonLat: [number, number]) => [number, number]): SourceSites {
  const { sites, ids } = siteArraysFromFile(data.file, { bandId: String(bandMHz), operator });
  const band = data.file.model.bands.find((b) => b.id === String(bandMHz))!;
  const byId = new Map(data.sites.map((s) => [s.id, s]));
  const mine = masts.filter((m) => m.operator === operator);
  const xy = mine.map((m) => toLaea([m.lonDeg, m.latDeg]));
  const fill = (v: number) => mine.map(() => v);
  const arrays: SiteArrays = {
    count: sites.count + mine.length,
    x: appended(sites.x, xy.map((p) => p[0])),
    y: appended(sites.y, xy.map((p) => p[1])),
    // NaN: the model takes the mast's ground from the DEM.
    groundM: appended(sites.groundM, fill(Number.NaN)),
    antennaAglM: appended(sites.antennaAglM, mine.map((m) => m.antennaAglM)),
    azimuthDeg: appended(sites.azimuthDeg, mine.map((m) => m.azimuthDeg ?? Number.NaN)),
    beamwidthDeg: appended(sites.beamwidthDeg, mine.map((m) => m.beamwidthDeg ?? 360)),
    // A planned site's own EIRP where its file gives one; the frequency is the compared band's.
    eirpDbm: appended(sites.eirpDbm, mine.map((m) => m.eirpDbm ?? band.eirpPerReDbm)),
    fMHz: appended(sites.fMHz, fill(band.fMHz)),
  };
  return { arrays, origin: [...ids.map((id) => ({ site: byId.get(id)! })), ...mine.map((mast) => ({ mast }))] };
}

/** A stable signature of one operator's masts: equal signatures, equal sites. */
export function mastSignature(masts: readonly ScenarioMast[], operator: string): string {
  return JSON.stringify(masts.filter((m) => m.operator === operator).map((m) => [m.id, m.lonDeg, m.latDeg, m.antennaAglM]));
}

const placement = (m: ScenarioMast): string => `${m.lonDeg},${m.latDeg},${m.antennaAglM}`;

/** The positions whose surroundings change between two mast lists of an operator (added, moved, removed, re-heighted). */
export function changedMastPositions(before: readonly ScenarioMast[], after: readonly ScenarioMast[], operator: string): Array<[number, number]> {
  const b = new Map(before.filter((m) => m.operator === operator).map((m) => [m.id, m]));
  const a = new Map(after.filter((m) => m.operator === operator).map((m) => [m.id, m]));
  const out: Array<[number, number]> = [];
  for (const [id, m] of b) if (!a.has(id) || placement(a.get(id)!) !== placement(m)) out.push([m.lonDeg, m.latDeg]);
  for (const [id, m] of a) if (!b.has(id) || placement(b.get(id)!) !== placement(m)) out.push([m.lonDeg, m.latDeg]);
  return out;
}
