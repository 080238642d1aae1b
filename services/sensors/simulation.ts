/**
 * SIMULATED observations for the real stations of tilesets/sensors/stations.json: plausible, seeded and procedural,
 * so any instant's value is computed on demand (value = f(seed, station, property, time)) and nothing is stored.
 *
 * - Temperature: seasonal mean for the date, a diurnal cycle (minimum ≈ 06, maximum ≈ 15 local time), −6.5 K/km
 *   lapse rate, a regional weather anomaly (a slow mean-reverting random walk shared by every station) and small
 *   per-station noise; during the inversion episode valleys are colder and mountain tops milder.
 * - PM10 and NO2 (µg/m³): positive and log-normal-ish, with morning and evening traffic peaks (weaker at
 *   weekends), winter heating, a multi-day inversion episode (strong in winter) that piles up pollution in the
 *   valleys, and higher levels in towns (Plzeň, Sokolov …) than at mountain stations (Přimda, Churáňov …).
 * - Gaps: a few stations go offline for some hours, and a few analysers fail on their own.
 */
import { prng } from '../../core/prng';
import type { ObservedPropertyKey, SensorStation } from '../../pipeline/sensors/stations';

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type Setting = 'town' | 'industrial' | 'suburban' | 'rural' | 'mountain';

export interface StationProfile {
  readonly setting: Setting;
  /** Height the model uses: the station's own, else an approximate altitude (simulation only), else a default. */
  readonly heightM: number;
}

/**
 * How each CHMI station is simulated: its surroundings, and an approximate altitude used only when the station
 * file has no terrain height for it (outside the DEM coverage).
 */
const CHMI_PROFILES: Readonly<Record<string, { setting: Setting; approxHeightM: number }>> = {
  PPLAA: { setting: 'town', approxHeightM: 340 },
  PPLEA: { setting: 'town', approxHeightM: 310 },
  PPLSA: { setting: 'town', approxHeightM: 340 },
  PPLBA: { setting: 'town', approxHeightM: 345 },
  PPLVA: { setting: 'town', approxHeightM: 345 },
  PPLLA: { setting: 'town', approxHeightM: 360 },
  PPMOA: { setting: 'suburban', approxHeightM: 365 },
  PPRMA: { setting: 'mountain', approxHeightM: 740 },
  PKUJA: { setting: 'rural', approxHeightM: 450 },
  KCHMA: { setting: 'town', approxHeightM: 470 },
  KSOMA: { setting: 'industrial', approxHeightM: 400 },
  KPRBA: { setting: 'mountain', approxHeightM: 900 },
  CPRAA: { setting: 'town', approxHeightM: 560 },
  CCHUA: { setting: 'mountain', approxHeightM: 1120 },
  CKOCA: { setting: 'rural', approxHeightM: 520 },
  CCBDA: { setting: 'town', approxHeightM: 390 },
  UCHMA: { setting: 'town', approxHeightM: 330 },
  UTUSA: { setting: 'industrial', approxHeightM: 320 },
  UMEDA: { setting: 'mountain', approxHeightM: 830 },
};

/** Stations above this height sit above the winter inversion layer. */
const INVERSION_TOP_M = 650;

export function profileFor(station: SensorStation): StationProfile {
  const known = station.network === 'CHMI' ? CHMI_PROFILES[station.code] : undefined;
  const heightM = station.heightM ?? known?.approxHeightM ?? 450;
  const setting = known?.setting ?? (heightM > 800 ? 'mountain' : 'rural');
  return { setting, heightM };
}

const PM10_BASE: Record<Setting, number> = { town: 16, industrial: 19, suburban: 13, rural: 9, mountain: 7 };
const NO2_BASE: Record<Setting, number> = { town: 19, industrial: 15, suburban: 12, rural: 5, mountain: 2.5 };
const TRAFFIC: Record<Setting, number> = { town: 1, industrial: 0.7, suburban: 0.6, rural: 0.25, mountain: 0.08 };

// ---------------------------------------------------------------------------------------------- seeded randomness

/** A 32-bit integer hash of a few integers (MurmurHash3's mixing): stateless randomness per key. */
export function hash32(...xs: number[]): number {
  let h = 0x9747b28c;
  const mix = (k0: number): void => {
    let k = Math.imul(k0 | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  };
  for (const x of xs) {
    mix(x);
    mix(Math.floor(x / 4294967296));
  }
  h ^= xs.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
const unit = (...xs: number[]): number => (hash32(...xs) + 0.5) / 4294967296;
function gaussHash(...xs: number[]): number {
  return Math.sqrt(-2 * Math.log(unit(...xs, 1))) * Math.cos(2 * Math.PI * unit(...xs, 2));
}

/** Smooth noise: standard-normal values at whole hours, linearly interpolated in between. */
function hourlyNoise(seed: number, salt: number, key: number, tMs: number): number {
  const h = tMs / HOUR_MS;
  const h0 = Math.floor(h);
  const f = h - h0;
  return (1 - f) * gaussHash(seed, salt, key, h0) + f * gaussHash(seed, salt, key, h0 + 1);
}

/**
 * A mean-reverting random walk (AR(1)) sampled every hour from an origin, extended on demand in time order, so it
 * is the same for a given seed and origin however it is queried.
 */
class RandomWalk {
  private readonly values: number[] = [];
  private readonly rand: () => number;
  private readonly rho: number;
  private readonly sigma: number;
  constructor(seed: number, private readonly originHour: number, stdDev: number, correlationHours: number) {
    this.rand = prng(seed);
    this.rho = Math.exp(-1 / correlationHours);
    this.sigma = stdDev * Math.sqrt(1 - this.rho * this.rho);
    this.values.push(this.gauss() * stdDev);
  }
  private gauss(): number {
    const u = 1 - this.rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rand());
  }
  private valueAt(i: number): number {
    if (i <= 0) return this.values[0]!;
    while (this.values.length <= i) this.values.push(this.rho * this.values[this.values.length - 1]! + this.sigma * this.gauss());
    return this.values[i]!;
  }
  at(tMs: number): number {
    const h = tMs / HOUR_MS - this.originHour;
    const i = Math.floor(h);
    const f = h - i;
    return (1 - f) * this.valueAt(i) + f * this.valueAt(i + 1);
  }
}

// ---------------------------------------------------------------------------------------------- calendar

/** Central European time: UTC+1, UTC+2 from the last Sunday of March to the last Sunday of October (01:00 UTC). */
export function centralEuropeanOffsetH(tMs: number): number {
  const y = new Date(tMs).getUTCFullYear();
  const lastSunday = (month: number): number => {
    const last = new Date(Date.UTC(y, month + 1, 0));
    return Date.UTC(y, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  return tMs >= lastSunday(2) && tMs < lastSunday(9) ? 2 : 1;
}

/** Local hour of day in [0, 24) and whether the local day is a Saturday or Sunday. */
export function localTime(tMs: number): { hour: number; weekend: boolean } {
  const local = tMs + centralEuropeanOffsetH(tMs) * HOUR_MS;
  const d = new Date(local);
  const hour = ((local % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS;
  const dow = d.getUTCDay();
  return { hour, weekend: dow === 0 || dow === 6 };
}

/** −1 in the second half of January, +1 in the second half of July. */
export function seasonPhase(tMs: number): number {
  const y = new Date(tMs).getUTCFullYear();
  const doy = (tMs - Date.UTC(y, 0, 1)) / DAY_MS;
  return -Math.cos((2 * Math.PI * (doy - 20)) / 365.25);
}

/** Diurnal shape: −1 at 06 local, +1 at 15 local, cosine-shaped rise over 9 h and fall over 15 h. */
export function diurnalShape(localHour: number): number {
  if (localHour >= 6 && localHour < 15) return -Math.cos((Math.PI * (localHour - 6)) / 9);
  return Math.cos((Math.PI * ((localHour - 15 + 24) % 24)) / 15);
}

const bump = (h: number, centre: number, width: number): number => Math.exp(-(((h - centre) / width) ** 2));
const smoothstep = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

// ---------------------------------------------------------------------------------------------- the model

export interface Gap {
  /** Absolute hour instants [fromMs, toMs) without values. */
  readonly fromMs: number;
  readonly toMs: number;
}

export interface SimulationOptions {
  seed: number;
  /** First hour of the history (hour-aligned, UTC); random walks start a few days before it. */
  historyStartMs: number;
  /** First hour after the history. */
  historyEndMs: number;
}

const SALT = { temperature: 11, pm: 12, no2: 13, station: 14, gap: 15, analyser: 16, episode: 17 } as const;

export class Simulation {
  readonly seed: number;
  private readonly temperatureWalk: RandomWalk;
  private readonly airMassWalk: RandomWalk;
  readonly profiles: readonly StationProfile[];
  /** The multi-day inversion episode, inside the history window. */
  readonly episode: { readonly startMs: number; readonly endMs: number };
  private readonly stationGaps: ReadonlyArray<readonly Gap[]>;
  private readonly analyserGaps: ReadonlyMap<string, readonly Gap[]>;

  constructor(readonly stations: readonly SensorStation[], opts: SimulationOptions) {
    const seed = opts.seed >>> 0;
    this.seed = seed;
    const origin = Math.floor(opts.historyStartMs / HOUR_MS) - 96;
    this.temperatureWalk = new RandomWalk(hash32(seed, SALT.temperature), origin, 3, 48);
    this.airMassWalk = new RandomWalk(hash32(seed, SALT.pm), origin, 0.3, 30);
    this.profiles = stations.map(profileFor);

    const start = opts.historyStartMs;
    const span = Math.max(HOUR_MS, opts.historyEndMs - start);
    const epStart = start + Math.floor(span * (0.2 + 0.3 * unit(seed, SALT.episode, 1)) / HOUR_MS) * HOUR_MS;
    const epHours = 60 + Math.floor(36 * unit(seed, SALT.episode, 2));
    this.episode = { startMs: epStart, endMs: epStart + epHours * HOUR_MS };

    const hours = Math.floor(span / HOUR_MS);
    const forced = stations.length > 0 ? hash32(seed, SALT.gap) % stations.length : -1;
    this.stationGaps = stations.map((_, i) => {
      if (i !== forced && unit(seed, SALT.gap, i, 0) >= 0.3) return [];
      const len = 3 + Math.floor(22 * unit(seed, SALT.gap, i, 1));
      const first = 12 + Math.floor(Math.max(0, hours - len - 24) * unit(seed, SALT.gap, i, 2));
      return [{ fromMs: start + first * HOUR_MS, toMs: start + (first + len) * HOUR_MS }];
    });
    const analyser = new Map<string, Gap[]>();
    stations.forEach((st, i) => {
      for (const [k, key] of st.properties.entries()) {
        if (key === 'temperature' || unit(seed, SALT.analyser, i, k, 0) >= 0.15) continue;
        const len = 2 + Math.floor(7 * unit(seed, SALT.analyser, i, k, 1));
        const first = 6 + Math.floor(Math.max(0, hours - len - 12) * unit(seed, SALT.analyser, i, k, 2));
        analyser.set(`${i}:${key}`, [{ fromMs: start + first * HOUR_MS, toMs: start + (first + len) * HOUR_MS }]);
      }
    });
    this.analyserGaps = analyser;
  }

  /** Whether the station's instrument for this property reported at this instant (history gaps). */
  hasValue(stationIndex: number, key: ObservedPropertyKey, tMs: number): boolean {
    const inside = (g: Gap): boolean => tMs >= g.fromMs && tMs < g.toMs;
    if (this.stationGaps[stationIndex]?.some(inside)) return false;
    return !this.analyserGaps.get(`${stationIndex}:${key}`)?.some(inside);
  }

  gaps(stationIndex: number, key: ObservedPropertyKey): Gap[] {
    return [...(this.stationGaps[stationIndex] ?? []), ...(this.analyserGaps.get(`${stationIndex}:${key}`) ?? [])];
  }

  /** Inversion strength in [0, 1]: 12 h ramps at both ends of the episode. */
  inversion(tMs: number): number {
    const { startMs, endMs } = this.episode;
    if (tMs <= startMs || tMs >= endMs) return 0;
    const ramp = 12 * HOUR_MS;
    return Math.min(smoothstep((tMs - startMs) / ramp), smoothstep((endMs - tMs) / ramp));
  }

  value(stationIndex: number, key: ObservedPropertyKey, tMs: number): number {
    switch (key) {
      case 'temperature': return Math.round(this.temperature(stationIndex, tMs) * 10) / 10;
      case 'PM10': return Math.max(0.5, Math.round(this.pm10(stationIndex, tMs) * 10) / 10);
      case 'NO2': return Math.max(0.3, Math.round(this.no2(stationIndex, tMs) * 10) / 10);
    }
  }

  private temperature(i: number, tMs: number): number {
    const p = this.profiles[i]!;
    const season = seasonPhase(tMs);
    const winter = (1 - season) / 2;
    const { hour } = localTime(tMs);
    const inv = this.inversion(tMs);
    const strength = 0.3 + 0.7 * winter;
    const above = p.heightM >= INVERSION_TOP_M;
    const seaLevelMean = 10.6 + 10.2 * season;
    const amplitude = (2.5 + 2.5 * (1 - winter)) * (p.setting === 'mountain' ? 0.6 : 1) * (1 - 0.5 * inv);
    const inversionShift = (above ? 2 : -4) * inv * strength;
    const stationOffset = 0.4 * gaussHash(this.seed, SALT.station, i);
    const townWarmth = p.setting === 'town' || p.setting === 'industrial' ? 0.5 : 0;
    return seaLevelMean + amplitude * diurnalShape(hour) - 0.0065 * p.heightM + this.temperatureWalk.at(tMs)
      + inversionShift + stationOffset + townWarmth + 0.3 * hourlyNoise(this.seed, SALT.temperature, i, tMs);
  }

  /** Relative pollution level from traffic, heating, the inversion and the air mass (1 = background). */
  private pollution(i: number, tMs: number, morning: number, evening: number, inversionGain: number, salt: number): number {
    const p = this.profiles[i]!;
    const winter = (1 - seasonPhase(tMs)) / 2;
    const { hour, weekend } = localTime(tMs);
    const traffic = TRAFFIC[p.setting] * (weekend ? 0.5 : 1) * (morning * bump(hour, 7.5, 1.5) + evening * bump(hour, 17.5, 2));
    const inv = this.inversion(tMs);
    const stagnation = p.heightM >= INVERSION_TOP_M ? 1 - 0.3 * inv : 1 + inversionGain * inv * (0.3 + 0.7 * winter);
    const noise = Math.exp(0.2 * hourlyNoise(this.seed, salt, i, tMs));
    return (1 + traffic) * stagnation * Math.exp(this.airMassWalk.at(tMs)) * noise;
  }

  private pm10(i: number, tMs: number): number {
    const p = this.profiles[i]!;
    const winter = (1 - seasonPhase(tMs)) / 2;
    const { hour } = localTime(tMs);
    const heating = 1 + (p.setting === 'mountain' ? 0.2 : 0.5) * winter + 0.3 * winter * bump(hour, 20, 2.5);
    return PM10_BASE[p.setting] * heating * this.pollution(i, tMs, 0.6, 0.5, 1.8, SALT.pm);
  }

  private no2(i: number, tMs: number): number {
    const p = this.profiles[i]!;
    const winter = (1 - seasonPhase(tMs)) / 2;
    const { hour } = localTime(tMs);
    const photochemistry = 1 - 0.25 * (1 - winter) * bump(hour, 13, 3);
    return NO2_BASE[p.setting] * (1 + 0.3 * winter) * photochemistry * this.pollution(i, tMs, 1, 0.8, 1.3, SALT.no2);
  }
}
