import { converter } from '../../core/geo/crs';
import { prng } from '../../core/prng';

/** Seeded S-JTSK points over western Czechia, Bpv heights 200..1,200 m: the same in node and in the page. */
export function sjtskPoints(n: number, seed = 5514): Float64Array {
  const rand = prng(seed);
  const c = converter(4326, 5514);
  const xyz = new Float64Array(n * 3);
  for (let p = 0; p < n; p++) {
    const [x, y] = c.forward([12.2 + 2.2 * rand(), 48.7 + 1.7 * rand()]);
    xyz[p * 3] = x!;
    xyz[p * 3 + 1] = y!;
    xyz[p * 3 + 2] = 200 + 1000 * rand();
  }
  return xyz;
}
