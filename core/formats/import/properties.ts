/** Feature attributes of an import, collected column by column. */
import type { PropertyTable } from './types';

/**
 * Columnar feature attributes. Values are kept raw until `finish`, which decides per column: numeric when every
 * non-empty value is a number (for CSV text, when `numeral` reads it), else text.
 */
export class PropertyBuilder {
  private readonly raw = new Map<string, unknown[]>();
  rows = 0;
  constructor(private readonly numeral: ((s: string) => number) | null = null) {}

  /** Declares columns up front (CSV), so they keep the header's order even when empty. */
  declare(names: readonly string[]): unknown[][] {
    return names.map((n) => this.column(n));
  }
  column(name: string): unknown[] {
    let c = this.raw.get(name);
    if (!c) {
      c = [];
      this.raw.set(name, c);
    }
    return c;
  }
  /** One JSON feature's properties into the next row. */
  addRecord(record: Readonly<Record<string, unknown>>): void {
    for (const [k, v] of Object.entries(record)) if (v !== null && v !== undefined) this.column(k)[this.rows] = v;
    this.rows++;
  }

  /** Columns one at a time, so the caller can yield between them (a million-row column takes tens of ms). */
  *finishColumns(): Generator<void, PropertyTable> {
    const names: string[] = [];
    const columns: (Float64Array | string[])[] = [];
    for (const [name, values] of this.raw) {
      names.push(name);
      columns.push(this.finishColumn(values));
      yield;
    }
    return { names, columns };
  }

  private finishColumn(values: unknown[]): Float64Array | string[] {
    const n = this.rows;
    // One pass that reads the numbers and stops at the first value that is not one.
    const nums = new Float64Array(n);
    let numeric = true;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v === 'number') nums[i] = v;
      else if (v === undefined || v === null || v === '') nums[i] = NaN;
      else if (typeof v === 'string' && this.numeral !== null) {
        const x = this.numeral(v);
        if (Number.isNaN(x)) {
          numeric = false;
          break;
        }
        nums[i] = x;
      } else {
        numeric = false;
        break;
      }
    }
    if (numeric) return nums;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out.push(v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    return out;
  }
}
