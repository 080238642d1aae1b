// Prints one closing line per suite ("unit: N passed, N failed, N skipped") from vitest's JSON reports,
// and exits non-zero if any test failed.
import { readFileSync } from 'node:fs';

let failedTotal = 0;
let passedTotal = 0;
let skippedTotal = 0;
for (const file of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const name = file.replace(/^.*\//, '').replace(/\.json$/, '');
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  failedTotal += r.numFailedTests;
  passedTotal += r.numPassedTests;
  skippedTotal += skipped;
  console.log(`${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
console.log(`total: ${passedTotal} passed, ${failedTotal} failed, ${skippedTotal} skipped`);
process.exit(failedTotal > 0 ? 1 : 0);
