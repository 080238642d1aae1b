/** What every geodesy-using worker is initialised with, and how it takes it in. */
import { registerBeta2007 } from './crs';
import { type GeoidGrid, type GeoidGridJson, geoidFromJson } from './geoid';

export interface GeodesyInit {
  /** The regional geoid grid (served as JSON with the tileset). */
  geoid: GeoidGridJson;
  /** BETA2007.gsb bytes; without them EPSG:31468/31469 jobs reject. Copied to each worker, not transferred. */
  beta2007?: ArrayBuffer;
}

export interface InitInfo {
  geoidModel: string;
  beta2007: boolean;
}

/** Register the grids and return the parsed geoid plus what was loaded. */
export function initGeodesy(init: GeodesyInit): { geoid: GeoidGrid; info: InitInfo } {
  const geoid = geoidFromJson(init.geoid);
  if (init.beta2007) registerBeta2007(init.beta2007);
  return { geoid, info: { geoidModel: geoid.model, beta2007: init.beta2007 !== undefined } };
}
