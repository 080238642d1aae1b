/**
 * What the UI may ask of a mounted sensor layer beyond the store: replay a recorded file instead of the live
 * service, and go back to it. Registered by the binding, looked up by the layer list.
 */
import { layerRegistry } from '../registry';

export interface SensorActions {
  replay(file: File): Promise<void>;
  backToLive(): Promise<void>;
  /** Try the unreachable service again now (the layer's "Retry"). */
  retry(): Promise<void>;
}

const actions = layerRegistry<SensorActions>();
export const registerSensorActions = actions.register;
export const sensorActions = actions.get;
