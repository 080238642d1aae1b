/** Shared by the import worker's tests: fixture files, control points and centimetre comparisons. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export { GEOID, GEOID_JSON, metresBetween } from '../../reproject/fixtures';

const fixtureDir = fileURLToPath(new URL('../../../../fixtures/import/', import.meta.url));

/** A fixture's bytes in an ArrayBuffer of their own (as `File.arrayBuffer()` gives them). */
export function fixture(name: string): ArrayBuffer {
  const b = readFileSync(fixtureDir + name);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export const bytesOf = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;

interface ControlPoint {
  name: string;
  lonDeg: number;
  latDeg: number;
  projected: Record<string, { e: number; n: number }>;
}
const controlFile = fileURLToPath(new URL('../../../../fixtures/geodesy/control-points.json', import.meta.url));
const CONTROL = (JSON.parse(readFileSync(controlFile, 'utf8')) as { points: ControlPoint[] }).points;

/** A control point by the start of its name. */
export function control(prefix: string): ControlPoint {
  const p = CONTROL.find((c) => c.name.startsWith(prefix));
  if (!p) throw new Error(`no control point ${prefix}`);
  return p;
}

/** Point i of a stride-3 buffer. */
export const at = (xyz: Float64Array, i: number): [number, number, number] => [xyz[i * 3]!, xyz[i * 3 + 1]!, xyz[i * 3 + 2]!];
