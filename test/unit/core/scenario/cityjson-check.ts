/**
 * Structural checks of a CityJSON 2.0 document, for the tests (no npm package ships the CityJSON schema): the
 * required members, integer vertices under a transform, every boundary index in range, and each solid's shell
 * closed (every edge used exactly twice, in opposite directions) with its faces turned outwards.
 */
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const three = (v: unknown): v is number[] => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Everything wrong with the document; empty when it passes. */
export function cityJsonProblems(doc: unknown): string[] {
  const out: string[] = [];
  if (!isObj(doc)) return ['not an object'];
  if (doc.type !== 'CityJSON') out.push('type is not "CityJSON"');
  if (doc.version !== '2.0') out.push('version is not "2.0"');
  const tr = doc.transform;
  if (!isObj(tr) || !three(tr.scale) || !three(tr.translate)) out.push('transform needs scale and translate, three numbers each');
  if (!isObj(doc.CityObjects)) out.push('CityObjects is not an object');
  const vertices = doc.vertices;
  if (!Array.isArray(vertices)) return [...out, 'vertices is not an array'];
  vertices.forEach((v, i) => {
    if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => Number.isInteger(x))) out.push(`vertex ${i} is not three integers`);
  });
  const rs = isObj(doc.metadata) ? doc.metadata.referenceSystem : undefined;
  if (rs !== undefined && (typeof rs !== 'string' || !/^https?:\/\/www\.opengis\.net\/def\/crs\//.test(rs))) out.push('referenceSystem is not an OGC CRS URL');
  for (const [id, o] of Object.entries(isObj(doc.CityObjects) ? doc.CityObjects : {})) {
    if (!isObj(o) || typeof o.type !== 'string') {
      out.push(`${id}: no type`);
      continue;
    }
    for (const g of Array.isArray(o.geometry) ? o.geometry : []) out.push(...geometryProblems(id, g, vertices as number[][]));
  }
  return out;
}

function geometryProblems(id: string, g: unknown, vertices: number[][]): string[] {
  if (!isObj(g) || typeof g.lod !== 'string') return [`${id}: a geometry without a string lod`];
  if (g.type !== 'Solid') return [];
  const shells = g.boundaries as number[][][][];
  const out: string[] = [];
  shells.forEach((shell, s) => {
    for (const face of shell) for (const ring of face) for (const i of ring) {
      if (!Number.isInteger(i) || i < 0 || i >= vertices.length) out.push(`${id}: index ${i} out of range`);
    }
    out.push(...shellProblems(`${id} shell ${s}`, shell));
  });
  const sem = g.semantics as { surfaces: unknown[]; values: number[][] } | undefined;
  if (sem && sem.values[0]?.length !== shells[0]?.length) out.push(`${id}: semantics values do not match the faces`);
  return out;
}

/** Each directed edge once, and its reverse once: a closed, consistently oriented shell. */
function shellProblems(where: string, shell: number[][][]): string[] {
  const count = new Map<string, number>();
  for (const face of shell) {
    const ring = face[0]!;
    if (new Set(ring).size !== ring.length) return [`${where}: a ring repeats a vertex`];
    ring.forEach((a, k) => {
      const key = `${a}>${ring[(k + 1) % ring.length]}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    });
  }
  const out: string[] = [];
  for (const [key, n] of count) {
    const [a, b] = key.split('>');
    if (n !== 1) out.push(`${where}: edge ${key} used ${n} times in one direction`);
    if (count.get(`${b}>${a}`) !== 1) out.push(`${where}: edge ${key} has no opposite`);
  }
  return out;
}

/** Signed volume of a solid's outer shell in the file's coordinates (transform applied): positive when faces look outwards. */
export function signedVolume(doc: { transform: { scale: number[] }; vertices: number[][] }, shell: number[][][]): number {
  const { scale } = doc.transform;
  const o = doc.vertices[shell[0]![0]![0]!]!;
  // Relative to one vertex of the shell (the translate drops out): large coordinates would swamp the products.
  const p = (i: number): number[] => doc.vertices[i]!.map((v, k) => (v - o[k]!) * scale[k]!);
  let v = 0;
  for (const face of shell) {
    const ring = face[0]!.map(p);
    for (let k = 1; k + 1 < ring.length; k++) {
      const [a, b, c] = [ring[0]!, ring[k]!, ring[k + 1]!];
      v += a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
    }
  }
  return v / 6;
}
