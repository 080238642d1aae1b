/** A georeferenced image from the pipeline (EPSG:4326 PNG) draped on the terrain. */
import { ImageryLayer, Rectangle, SingleTileImageryProvider } from 'cesium';
import type { MountLayer } from '../types';

export const mountImagery: MountLayer = async (ctx, entry) => {
  const [w, s, e, n] = entry.bbox;
  const provider = await SingleTileImageryProvider.fromUrl(new URL(entry.url, ctx.tilesetsBase).href, { rectangle: Rectangle.fromDegrees(w, s, e, n) });
  const layer = new ImageryLayer(provider);
  ctx.viewer.scene.imageryLayers.add(layer);
  ctx.viewer.requestRender();
  return {
    setVisible(visible) {
      layer.show = visible;
      ctx.viewer.requestRender();
    },
    dispose() {
      ctx.viewer.scene.imageryLayers.remove(layer, true);
      ctx.viewer.requestRender();
    },
  };
};
