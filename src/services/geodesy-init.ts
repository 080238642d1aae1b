/** What every geodesy-using worker needs first: the regional geoid and the BETA2007 grid, from the embedded dataset. */
import type { GeoidGridJson } from '../../core/geo/geoid';
import type { GeodesyInit } from '../../core/geo/geodesy-init';

export async function loadGeodesyInit(tilesetsBase: string): Promise<GeodesyInit> {
  const [geoid, beta2007] = await Promise.all([
    fetchOk(new URL('geodesy/egm96-region.json', tilesetsBase)).then((r) => r.json() as Promise<GeoidGridJson>),
    fetchOk(new URL('geodesy/BETA2007.gsb', tilesetsBase)).then((r) => r.arrayBuffer()),
  ]);
  return { geoid, beta2007 };
}

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return res;
}
