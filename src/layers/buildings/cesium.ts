/** A buildings tileset in the scene: styled (estimated heights stand out) and picked through its layer id. */
import { Cesium3DTileColorBlendMode, Cesium3DTileset, Cesium3DTileStyle } from 'cesium';
import { tagTileset } from '../../viewer/picking';
import type { MountLayer } from '../types';
import { BUILDING_STYLE, buildingsDescription, buildingsNote } from './description';

export const mountBuildings: MountLayer = async (ctx, entry) => {
  const d = buildingsDescription(entry);
  const tileset = await Cesium3DTileset.fromUrl(new URL(d.url, ctx.tilesetsBase).href, { maximumScreenSpaceError: 16 });
  tagTileset(tileset, d.id);
  tileset.style = new Cesium3DTileStyle(BUILDING_STYLE);
  if (d.estimatedHeights) {
    // Mix rather than multiply: amber multiplied into terracotta reads as plain red, not as "estimated".
    tileset.colorBlendMode = Cesium3DTileColorBlendMode.MIX;
    tileset.colorBlendAmount = 0.65;
  }
  tileset.tileFailed.addEventListener((e: { message?: string }) => {
    ctx.store.getState().setLayerStatus(d.id, 'error', e.message ?? 'a tile failed to load');
  });
  ctx.viewer.scene.primitives.add(tileset);
  ctx.viewer.requestRender();
  return {
    note: buildingsNote(d),
    setVisible(visible) {
      tileset.show = visible;
      ctx.viewer.requestRender();
    },
    dispose() {
      ctx.viewer.scene.primitives.remove(tileset);
      ctx.viewer.requestRender();
    },
  };
};
