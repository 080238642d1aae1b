import { parseManifest, type Manifest } from '../../core/manifest';

export const EMPTY_MANIFEST: Manifest = { version: 1, layers: [] };

export async function fetchManifest(tilesetsBase: string): Promise<Manifest> {
  const res = await fetch(new URL('manifest.json', tilesetsBase));
  if (!res.ok) throw new Error(`The embedded dataset is missing (tilesets/manifest.json: HTTP ${res.status}).`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new Error('The embedded dataset is damaged: tilesets/manifest.json is not JSON.');
  }
  return parseManifest(json);
}
