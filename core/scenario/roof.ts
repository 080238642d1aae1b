/**
 * The measures of a proposed building that need no 3D library: footprint area, its minimum bounding rectangle,
 * the roof's rise, and the volume. Shared by the mesh builder (worker) and the page's metrics, so the numbers in
 * the panel describe exactly the shape drawn.
 */
export type RoofForm = 'flat' | 'gable' | 'hip';

/** A rectangle around a ring: centre, unit long axis, full length (along the axis) and width. */
export interface OrientedRect {
  readonly cx: number;
  readonly cy: number;
  readonly ax: number;
  readonly ay: number;
  readonly lengthM: number;
  readonly widthM: number;
}

/** Below this share of its bounding rectangle a footprint gets a flat roof (see the module comment). */
export const PITCHED_MIN_FILL = 0.95;
const MAX_PITCH_RAD = (40 * Math.PI) / 180;
const MAX_RISE_SHARE = 0.4;

export function ringAreaM2(ring: ReadonlyArray<readonly [number, number]>): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

/**
 * The minimum-area bounding rectangle: one of its sides lies on an edge of the convex hull, so trying each
 * edge direction of the ring (a superset of the hull's) finds it. O(n²), for footprints of tens of corners.
 */
export function orientedRect(ring: ReadonlyArray<readonly [number, number]>): OrientedRect {
  let best: OrientedRect | null = null;
  let bestArea = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 1e-9) continue;
    const ux = (x1 - x0) / len, uy = (y1 - y0) / len;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const [x, y] of ring) {
      const u = x * ux + y * uy;
      const v = -x * uy + y * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
      const cx = cu * ux - cv * uy, cy = cu * uy + cv * ux;
      const du = maxU - minU, dv = maxV - minV;
      // The long side is the axis: the ridge runs along it.
      best = du >= dv ? { cx, cy, ax: ux, ay: uy, lengthM: du, widthM: dv } : { cx, cy, ax: -uy, ay: ux, lengthM: dv, widthM: du };
    }
  }
  if (!best) throw new Error('the footprint has no extent');
  return best;
}

/** How high a pitched roof rises over a rectangle of this width on a building of this height. */
export function roofRiseM(heightM: number, widthM: number): number {
  return Math.min(MAX_RISE_SHARE * heightM, (widthM / 2) * Math.tan(MAX_PITCH_RAD));
}


/**
 * What is actually built for a footprint: a pitched roof needs a near-rectangular footprint (see the mesh
 * builder), and how high the eaves are.
 */
export function roofPlan(ring: ReadonlyArray<readonly [number, number]>, heightM: number, roof: RoofForm): { roofApplied: RoofForm; eavesM: number; rect: OrientedRect | null } {
  if (roof === 'flat') return { roofApplied: 'flat', eavesM: heightM, rect: null };
  const rect = orientedRect(ring);
  if (Math.abs(ringAreaM2(ring)) < PITCHED_MIN_FILL * rect.lengthM * rect.widthM) return { roofApplied: 'flat', eavesM: heightM, rect: null };
  return { roofApplied: roof, eavesM: heightM - roofRiseM(heightM, rect.widthM), rect };
}

/**
 * Enclosed volume, m³: the walls' prism up to the eaves plus the roof over the rectangle (gable: L·W·h/2;
 * hip with a ridge of L − W: h·W·(3L − W)/6, a pyramid when L = W).
 */
export function buildingVolumeM3(ring: ReadonlyArray<readonly [number, number]>, heightM: number, roof: RoofForm): number {
  const plan = roofPlan(ring, heightM, roof);
  const prism = Math.abs(ringAreaM2(ring)) * plan.eavesM;
  if (!plan.rect) return prism;
  const rise = heightM - plan.eavesM;
  const { lengthM: l, widthM: w } = plan.rect;
  return prism + (plan.roofApplied === 'gable' ? (l * w * rise) / 2 : (rise * w * (3 * l - w)) / 6);
}
