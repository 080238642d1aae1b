/**
 * The store's slices. Each is a function of zustand's `set`/`get` returning its part of the state;
 * `createAppStore` composes them. Only settled values go in (camera on move end, never per frame).
 */
export * from './slices/types';
export * from './slices/view';
export * from './slices/scenario';
export * from './slices/ui';
export * from './slices/story';
