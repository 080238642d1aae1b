/**
 * What a mounted layer offers the UI beyond the store (a chart's numbers, replay actions), looked up by layer id.
 * The binding registers on mount and unregisters (null) on dispose, so the UI never reaches a layer's internals.
 */
export interface LayerRegistry<T> {
  register(layerId: string, value: T | null): void;
  get(layerId: string): T | undefined;
}

export function layerRegistry<T>(): LayerRegistry<T> {
  const byLayer = new Map<string, T>();
  return {
    register: (layerId, value) => void (value === null ? byLayer.delete(layerId) : byLayer.set(layerId, value)),
    get: (layerId) => byLayer.get(layerId),
  };
}
