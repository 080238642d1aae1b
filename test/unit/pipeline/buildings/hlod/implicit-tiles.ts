/**
 * The tiles an implicit tileset on disk says exist, read through CesiumJS's own subtree decoder from the root
 * subtree down through every child subtree it names; content availability must agree with tile availability.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cesium } from './cesium-implicit';

interface ImplicitRoot { implicitTiling: { subtreeLevels: number } }

/** "level/x/y" of every available tile, and the problems met (content without tile, a child subtree file missing…). */
export async function availableTiles(dir: string): Promise<{ tiles: Set<string>; problems: string[] }> {
  const { ImplicitSubdivisionScheme, ImplicitSubtree, ImplicitTileCoordinates, ImplicitTileset, Resource } = cesium;
  const tileset = JSON.parse(readFileSync(path.join(dir, 'tileset.json'), 'utf8')) as { root: ImplicitRoot };
  const levels = tileset.root.implicitTiling.subtreeLevels;
  const implicit = new ImplicitTileset(new Resource({ url: 'file:///tileset.json' }), tileset.root, undefined);
  const coords = (level: number, x: number, y: number) => new ImplicitTileCoordinates({ subdivisionScheme: ImplicitSubdivisionScheme.QUADTREE, subtreeLevels: levels, level, x, y });
  const tiles = new Set<string>();
  const problems: string[] = [];
  const visit = async (z: number, x: number, y: number): Promise<void> => {
    const file = path.join(dir, 'subtrees', String(z), String(x), `${y}.subtree`);
    if (!existsSync(file)) { problems.push(`subtree ${z}/${x}/${y} is named but missing`); return; }
    const subtree = await ImplicitSubtree.fromSubtreeJson(new Resource({ url: 'file:///s.subtree' }), undefined, new Uint8Array(readFileSync(file)), implicit, coords(z, x, y));
    for (let l = 0; l < levels; l++) for (let i = 0; i < 2 ** l; i++) for (let j = 0; j < 2 ** l; j++) {
      const c = coords(z + l, x * 2 ** l + i, y * 2 ** l + j);
      const tile = subtree.tileIsAvailableAtCoordinates(c);
      if (subtree.contentIsAvailableAtCoordinates(c, 0) !== tile) problems.push(`${c.level}/${c.x}/${c.y}: content and tile availability differ`);
      if (tile) tiles.add(`${c.level}/${c.x}/${c.y}`);
    }
    const n = 2 ** levels;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const c = coords(z + levels, x * n + i, y * n + j);
      const exists = existsSync(path.join(dir, 'subtrees', String(c.level), String(c.x), `${c.y}.subtree`));
      if (subtree.childSubtreeIsAvailableAtCoordinates(c)) await visit(c.level, c.x, c.y);
      else if (exists) problems.push(`subtree ${c.level}/${c.x}/${c.y} exists but is not named`);
    }
  };
  await visit(0, 0, 0);
  return { tiles, problems };
}
