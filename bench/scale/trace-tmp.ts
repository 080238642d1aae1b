import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseGtx, geoidFromJson, type GeoidGridJson } from '../../core/geo/geoid';
import { loadTerrainModel } from '../../pipeline/terrain/model';
import { readSynthSource, writeSynthDistrict } from './synth';
import { newLod2Totals, readLod2File } from '../../pipeline/buildings/load-lod2';
import { HlodWriter } from '../../pipeline/buildings/hlod/writer';
const copies = Number(process.argv[2]);
const folder = `/tmp/trace-synth-${copies}`;
if (process.argv[3] === 'gen') {
  const gtx = readFileSync('/work/shared/data/geodesy/egm96_15.gtx');
  const terrain = await loadTerrainModel('/work/shared/data', parseGtx(gtx.buffer.slice(gtx.byteOffset, gtx.byteOffset + gtx.byteLength), 'EGM96'));
  writeSynthDistrict(readSynthSource('/work/shared/data/buildings/regensburg_lod2'), folder, copies, (a, b) => terrain.heightEllipsoidalM(a, b));
  process.exit(0);
}
const geoid = geoidFromJson(JSON.parse(await readFile('/work/main/tilesets/geodesy/egm96-region.json', 'utf8')) as GeoidGridJson);
const st = () => { const s = readFileSync('/proc/self/status', 'utf8'); const g = (k: string) => (Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)![1]) / 1024).toFixed(0); const m = process.memoryUsage(); return `hwm ${g('VmHWM')} rss ${g('VmRSS')} heap ${(m.heapUsed / 1048576).toFixed(0)}/${(m.heapTotal / 1048576).toFixed(0)} ab ${(m.arrayBuffers / 1048576).toFixed(0)}`; };
const w = new HlodWriter({ dir: `/tmp/trace-out-${copies}`, spillDir: `/tmp/trace-out-${copies}/.spill`, extras: {} });
const t = newLod2Totals((r) => w.add(r));
const files = (await readdir(folder)).toSorted().map((f) => path.join(folder, f));
const meta = { id: 'x', title: 'x', source: 'x', licence: 'x', attribution: 'x' };
for (const [i, f] of files.entries()) {
  await readLod2File(f, meta, { dataDir: folder, outDir: '/tmp', geoid, log: () => {} }, t);
  if (i % 100 === 0) console.error(`read ${i}/${files.length}: ${st()}`);
}
console.error(`read done: ${st()}`);
const r = await w.finish({}, (m) => console.error(`${m}: ${st()}`));
console.error(`done ${r.stats.tiles}: ${st()}`);
