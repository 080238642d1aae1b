/**
 * The only place that creates the Cesium widget. It renders on demand (requestRenderMode), talks to nothing
 * but the page's own host, and reports through the store: settled camera on move end, render errors as notices.
 */
import {
  buildModuleUrl,
  Cartesian3,
  CesiumWidget,
  DirectionalLight,
  Matrix4,
  Transforms,
  Ion,
  ImageryLayer,
  TileMapServiceImageryProvider,
  type Scene,
} from 'cesium';
import 'cesium/Build/Cesium/Widgets/CesiumWidget/CesiumWidget.css';
import { t } from '../i18n';
import type { AppStore } from '../state/store';
import { bindCamera } from './camera';

export interface TwinViewer {
  readonly widget: CesiumWidget;
  readonly scene: Scene;
  requestRender(): void;
  destroy(): void;
}

const REGION_CENTRE_DEG = [12.9, 49.6] as const;

/** Direction of light arriving from azimuth 315° at 45° elevation, in ECEF at a point. */
function hillshadeDirection(lonDeg: number, latDeg: number): Cartesian3 {
  const enu = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(lonDeg, latDeg));
  const towardsLight = new Cartesian3(-Math.SQRT1_2 * Math.SQRT1_2, Math.SQRT1_2 * Math.SQRT1_2, Math.SQRT1_2);
  const dir = Matrix4.multiplyByPointAsVector(enu, Cartesian3.negate(towardsLight, new Cartesian3()), new Cartesian3());
  return Cartesian3.normalize(dir, dir);
}

export interface ViewerOptions {
  /**
   * Called once when the GPU context is lost. Cesium cannot continue on a restored context, so the owner
   * rebuilds the scene from the store (see twin-scene.ts). Without it the page says the view stopped.
   */
  onContextLost?: () => void;
}

export function createViewer(container: HTMLElement, store: AppStore, options: ViewerOptions = {}): TwinViewer {
  // No Cesium ion: a blank token makes any accidental ion request fail loudly instead of leaving the machine.
  Ion.defaultAccessToken = '';
  const { lite } = store.getState();
  const widget = new CesiumWidget(container, {
    // Natural Earth II ships inside the cesium package: the default view needs no other host.
    baseLayer: ImageryLayer.fromProviderAsync(TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII'))),
    // No 2D or Columbus view: primitives then skip computing 2D positions for every vertex.
    scene3DOnly: true,
    requestRenderMode: true,
    maximumRenderTimeChange: Number.POSITIVE_INFINITY,
    msaaSamples: lite ? 1 : 4,
    skyAtmosphere: lite ? false : undefined,
    skyBox: lite ? false : undefined,
    // Cesium's own error panel takes its message as HTML; errors go through the store as text instead.
    showRenderLoopErrors: false,
    contextOptions: { webgl: { preserveDrawingBuffer: true } },
  });
  const scene = widget.scene;
  scene.globe.depthTestAgainstTerrain = true;
  if (lite) {
    scene.fog.enabled = false;
    scene.globe.showGroundAtmosphere = false;
    // Coarser terrain tiles: software WebGL loads a screen of tiles in seconds instead of minutes.
    scene.globe.maximumScreenSpaceError = 4;
  }
  // The cartographer's light: from the north-west, 45° up, over the region. Relief and roofs read the same at
  // any hour (Cesium's default light is the sun at the scene time, which leaves the scene black at night).
  scene.light = new DirectionalLight({ direction: hillshadeDirection(REGION_CENTRE_DEG[0], REGION_CENTRE_DEG[1]), intensity: 2.5 });
  scene.globe.enableLighting = true;
  scene.globe.dynamicAtmosphereLighting = false;
  let lost = false;
  scene.renderError.addEventListener((_scene: Scene, error: unknown) => {
    // After a lost context the scene is being replaced: its last failing frames are not news. The loss event
    // comes a task after the loss itself, so a zero-sized drawing buffer on a laid-out canvas counts as lost too.
    if (lost || (scene.drawingBufferWidth === 0 && scene.canvas.clientWidth > 0)) return;
    store.getState().notify('error', `Rendering stopped: ${error instanceof Error ? error.message : String(error)}`);
  });
  // A lost GPU context (driver reset, too many tabs) stops Cesium for good. The owner rebuilds the scene;
  // without an owner the page says so instead of showing a frozen scene.
  const onContextLost = (e: Event) => {
    e.preventDefault();
    if (lost) return;
    lost = true;
    if (options.onContextLost) options.onContextLost();
    else store.getState().notify('error', t(store.getState().lang, 'error.contextLost'));
  };
  scene.canvas.addEventListener('webglcontextlost', onContextLost);
  const unbindCamera = bindCamera(widget, store);
  return {
    widget,
    scene,
    requestRender: () => scene.requestRender(),
    destroy: () => {
      scene.canvas.removeEventListener('webglcontextlost', onContextLost);
      unbindCamera();
      // No more frames from this widget, whatever destroy() manages on a lost context.
      widget.useDefaultRenderLoop = false;
      // On a lost context Cesium may fail to free GPU objects; the widget's DOM must still go.
      try {
        widget.destroy();
      } catch {
        container.replaceChildren();
      }
    },
  };
}
