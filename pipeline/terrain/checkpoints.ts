/**
 * Named check points written beside the terrain tiles: the source DEM's own height and the geoid undulation at
 * places anyone can look up, so the browser tests (and a curious user) can compare what the scene shows with
 * the source without having the raw data.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { geoidUndulationM } from '../../core/geo/geoid';
import type { PipelineContext } from '../context';

export interface Checkpoint {
  readonly name: string;
  readonly lonDeg: number;
  readonly latDeg: number;
  /** Published height (orthometric/normal, m) where one exists, with its source. */
  readonly publishedM?: number;
  readonly publishedSource?: string;
}

export const CHECKPOINTS: readonly Checkpoint[] = [
  { name: 'Schneeberg summit (Fichtelgebirge)', lonDeg: 11.8536, latDeg: 50.0517, publishedM: 1051, publishedSource: 'commonly published summit height, 1051 m above sea level' },
  { name: 'Großer Arber summit (Bavarian Forest)', lonDeg: 13.1347, latDeg: 49.1126, publishedM: 1456, publishedSource: 'commonly published summit height, 1456 m above sea level' },
  { name: 'Klínovec summit (Ore Mountains)', lonDeg: 12.9678, latDeg: 50.3962, publishedM: 1244, publishedSource: 'commonly published summit height, 1244 m above sea level (Bpv)' },
  { name: 'Hof, Altstadt', lonDeg: 11.9128, latDeg: 50.3135 },
  { name: 'Plzeň, Náměstí Republiky', lonDeg: 13.3775, latDeg: 49.7477, publishedM: 311, publishedSource: 'official height of the square, about 311 m (Bpv), as quoted with the Plzeň DEM' },
  { name: 'Cheb, náměstí Krále Jiřího z Poděbrad', lonDeg: 12.3713, latDeg: 50.0796 },
  { name: 'Domažlice, náměstí Míru', lonDeg: 12.9297, latDeg: 49.4404 },
  { name: 'Klatovy, náměstí Míru', lonDeg: 13.2951, latDeg: 49.3955 },
  { name: 'Sokolov, Staré náměstí', lonDeg: 12.6401, latDeg: 50.1813 },
  { name: 'Žatec, náměstí Svobody', lonDeg: 13.5457, latDeg: 50.3272 },
  { name: 'Cham, Marktplatz', lonDeg: 12.6657, latDeg: 49.2193 },
  { name: 'Furth im Wald, Stadtplatz', lonDeg: 12.8406, latDeg: 49.3095 },
  { name: 'Weiden i.d.OPf., Oberer Markt', lonDeg: 12.1616, latDeg: 49.6765 },
  { name: 'Regensburg, Domplatz', lonDeg: 12.0977, latDeg: 49.0195 },
  { name: 'Passau, Domplatz', lonDeg: 13.4653, latDeg: 48.5748 },
];

export async function writeCheckpoints(ctx: PipelineContext): Promise<void> {
  const terrain = ctx.terrain;
  if (!terrain) throw new Error('checkpoints need the terrain step first');
  const points = CHECKPOINTS.map((c) => {
    const sourceHeightM = terrain.heightSourceM(c.lonDeg, c.latDeg);
    if (sourceHeightM === null) throw new Error(`no DEM covers the check point ${c.name}`);
    return { ...c, sourceHeightM: Math.round(sourceHeightM * 100) / 100, geoidM: Math.round(geoidUndulationM(ctx.geoid, c.lonDeg, c.latDeg) * 1000) / 1000 };
  });
  await mkdir(path.join(ctx.outDir, 'terrain'), { recursive: true });
  await writeFile(path.join(ctx.outDir, 'terrain', 'checkpoints.json'), `${JSON.stringify({ description: 'Source DEM height (EGM96, bilinear) and EGM96 undulation at named points; the scene should show sourceHeightM + geoidM.', points }, null, 1)}\n`);
  ctx.log(`terrain: ${points.length} check points: ${points.map((p) => `${p.name} ${p.sourceHeightM} m`).join(', ')}`);
}
