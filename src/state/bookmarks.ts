/** Camera bookmarks (WGS84 degrees, ellipsoidal metres: about 1 km above the ground of Regensburg-West, ~390 m, and Žatec, ~285 m). */
import type { MessageKey } from '../i18n';
import type { CameraState } from './types';

export interface Bookmark {
  readonly id: string;
  readonly labelKey: MessageKey;
  readonly camera: CameraState;
}

const cam = (lonDeg: number, latDeg: number, heightM: number, headingDeg: number, pitchDeg: number): CameraState => ({ lonDeg, latDeg, heightM, headingDeg, pitchDeg, rollDeg: 0 });

export const BOOKMARKS: readonly Bookmark[] = [
  { id: 'border', labelKey: 'bookmark.border', camera: cam(12.95, 47.55, 330_000, 0, -55) },
  { id: 'regensburg', labelKey: 'bookmark.regensburg', camera: cam(12.026, 48.995, 1_400, 350, -32) },
  { id: 'zatec', labelKey: 'bookmark.zatec', camera: cam(13.552, 50.316, 1_300, 340, -35) },
  { id: 'plzen', labelKey: 'bookmark.plzen', camera: cam(13.37, 49.66, 4_500, 0, -30) },
  { id: 'hof', labelKey: 'bookmark.hof', camera: cam(11.70, 49.86, 7_500, 25, -22) },
];

/**
 * The first view: tilted, looking north-west over Žatec's buildings across the Most basin to the escarpment of
 * the Ore Mountains, along whose crest runs the state border: relief, the border and a town at once. Steep
 * enough that no horizon is in view (a horizon asks for every tile out to it).
 */
export const DEFAULT_CAMERA: CameraState = cam(13.575, 50.262, 4_000, 335, -24);
