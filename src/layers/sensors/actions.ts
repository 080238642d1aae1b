/**
 * What the UI may ask of a mounted sensor layer beyond the store: replay a recorded file instead of the live
 * service, and go back to it. Registered by the binding, looked up by the layer list.
 */
export interface SensorActions {
  replay(file: File): Promise<void>;
  backToLive(): Promise<void>;
}

const actions = new Map<string, SensorActions>();

export function registerSensorActions(layerId: string, a: SensorActions | null): void {
  if (a) actions.set(layerId, a);
  else actions.delete(layerId);
}

export function sensorActions(layerId: string): SensorActions | undefined {
  return actions.get(layerId);
}
