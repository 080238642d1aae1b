/**
 * The sun and shadow study: with it on, the scene is lit by the sun at the timeline's time (Cesium's SunLight
 * follows the scene clock); buildings, proposed ones included, and the relief cast shadows on each other and on
 * the terrain. Off, the fixed north-west light of the map returns, so relief reads the same at any hour.
 */
import { JulianDate, ShadowMode, SunLight, type Light } from 'cesium';
import { watch, type AppStore } from '../state/store';
import type { TwinViewer } from './create-viewer';

export function bindSun(viewer: TwinViewer, store: AppStore): () => void {
  const { scene, widget } = viewer;
  const mapLight: Light = scene.light;
  const sun = new SunLight({ intensity: 2.0 });
  const apply = (on: boolean, timeIso: string): void => {
    widget.clock.currentTime = JulianDate.fromIso8601(timeIso);
    // The clock is set by the timeline, never by Cesium's own ticking.
    widget.clock.shouldAnimate = false;
    scene.light = on ? sun : mapLight;
    scene.shadowMap.enabled = on;
    scene.globe.shadows = on ? ShadowMode.ENABLED : ShadowMode.DISABLED;
    if (on) {
      scene.shadowMap.softShadows = !store.getState().lite;
      // Long enough for a ridge's evening shadow across a valley; the cascades keep buildings' shadows sharp.
      scene.shadowMap.maximumDistance = 20_000;
    }
    viewer.requestRender();
  };
  apply(store.getState().sunStudy, store.getState().timeIso);
  return watch(store, (s) => [s.sunStudy, s.timeIso] as const, ([on, timeIso]) => apply(on, timeIso));
}
