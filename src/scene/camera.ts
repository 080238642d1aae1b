/** Camera <-> store: the store gets the settled camera on move end; fly requests from the store move it. */
import { Cartesian3, Math as CesiumMath, type CesiumWidget } from 'cesium';
import { watch, type AppStore } from '../state/store';
import type { CameraState } from '../state/types';

export function readCamera(widget: CesiumWidget): CameraState {
  const c = widget.camera;
  const p = c.positionCartographic;
  return {
    lonDeg: CesiumMath.toDegrees(p.longitude),
    latDeg: CesiumMath.toDegrees(p.latitude),
    heightM: p.height,
    headingDeg: CesiumMath.toDegrees(c.heading),
    pitchDeg: CesiumMath.toDegrees(c.pitch),
    rollDeg: CesiumMath.toDegrees(c.roll),
  };
}

function destination(s: CameraState) {
  return {
    destination: Cartesian3.fromDegrees(s.lonDeg, s.latDeg, s.heightM),
    orientation: { heading: CesiumMath.toRadians(s.headingDeg), pitch: CesiumMath.toRadians(s.pitchDeg), roll: CesiumMath.toRadians(s.rollDeg) },
  };
}

/** Cesium does not say publicly whether a flight is running; the flights we start are counted here. */
const flights = new WeakMap<CesiumWidget, number>();
export function isFlying(widget: CesiumWidget): boolean {
  return (flights.get(widget) ?? 0) > 0;
}

export function bindCamera(widget: CesiumWidget, store: AppStore): () => void {
  const initial = store.getState().camera;
  if (initial) widget.camera.setView(destination(initial));
  const onMoveEnd = () => store.getState().setCamera(readCamera(widget));
  widget.camera.moveEnd.addEventListener(onMoveEnd);
  const unwatch = watch(store, (s) => s.flyRequest, (req) => {
    if (!req) return;
    flights.set(widget, (flights.get(widget) ?? 0) + 1);
    const done = () => flights.set(widget, Math.max(0, (flights.get(widget) ?? 1) - 1));
    widget.camera.flyTo({ ...destination(req.target), duration: req.durationS, complete: done, cancel: done });
    widget.scene.requestRender();
  });
  return () => {
    widget.camera.moveEnd.removeEventListener(onMoveEnd);
    unwatch();
  };
}
