/** Bench harness: every bench prints machine, command, runs, median and a ratio against a baseline run alongside. */
import os from 'node:os';

export function median(xs: readonly number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function machine(): string {
  return `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

export interface Row {
  readonly name: string;
  readonly unit: string;
  readonly runs: readonly number[];
}

/** Print rows with their medians; `baseline` names the row the others are divided by. */
export function report(title: string, rows: readonly Row[], baseline?: string): void {
  console.log(`\n## ${title}`);
  console.log(`machine: ${machine()}`);
  console.log(`command: ${process.argv.slice(1).join(' ')}`);
  const base = rows.find((r) => r.name === baseline);
  for (const r of rows) {
    const m = median(r.runs);
    const ratio = base && r !== base ? `  ratio vs ${base.name}: ${(m / median(base.runs)).toFixed(2)}×` : '';
    console.log(`${r.name.padEnd(34)} runs ${String(r.runs.length).padStart(2)}  median ${m.toFixed(1).padStart(9)} ${r.unit}${ratio}`);
  }
}
