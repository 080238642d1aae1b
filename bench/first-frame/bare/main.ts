/**
 * Baseline for the first-frame bench: a bare CesiumWidget with the same base imagery and the same lite render
 * settings as the twin, no layers. Exposes the same two signals the twin does (first frame, idle).
 */
import { buildModuleUrl, CesiumWidget, ImageryLayer, Ion, TileMapServiceImageryProvider } from 'cesium';
import 'cesium/Build/Cesium/Widgets/CesiumWidget/CesiumWidget.css';
import { whenSceneIdle } from '../../../src/scene/idle';
import { DEFAULT_CAMERA } from '../../../src/state/bookmarks';
import { Cartesian3, Math as CesiumMath } from 'cesium';

Ion.defaultAccessToken = '';
const widget = new CesiumWidget('scene', {
  baseLayer: ImageryLayer.fromProviderAsync(TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII'))),
  requestRenderMode: true,
  maximumRenderTimeChange: Number.POSITIVE_INFINITY,
  msaaSamples: 1,
  skyAtmosphere: false,
  skyBox: false,
  showRenderLoopErrors: false,
});
widget.scene.fog.enabled = false;
widget.scene.globe.showGroundAtmosphere = false;
widget.scene.globe.maximumScreenSpaceError = 4;
const c = DEFAULT_CAMERA;
widget.camera.setView({
  destination: Cartesian3.fromDegrees(c.lonDeg, c.latDeg, c.heightM),
  orientation: { heading: CesiumMath.toRadians(c.headingDeg), pitch: CesiumMath.toRadians(c.pitchDeg), roll: 0 },
});
const api = {
  firstFrameMs: null as number | null,
  whenIdle: (timeoutMs?: number) => whenSceneIdle(widget, { timeoutMs }),
};
const onFirst = () => {
  api.firstFrameMs = performance.now();
  widget.scene.postRender.removeEventListener(onFirst);
};
widget.scene.postRender.addEventListener(onFirst);
(window as unknown as { sddiTwin: typeof api }).sddiTwin = api;
