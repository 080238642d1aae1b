/** A buildings tileset in the scene: styled, lowered where no terrain exists, picked through its layer id. */
import { Cartesian3, Cesium3DTileset, Cesium3DTileStyle, Ellipsoid, Matrix4 } from 'cesium';
import { tagTileset } from '../../viewer/picking';
import type { MountLayer } from '../types';
import { BUILDING_STYLE, buildingsDescription, displayOffsetM } from './description';

export const mountBuildings: MountLayer = async (ctx, entry) => {
  const d = buildingsDescription(entry);
  const tileset = await Cesium3DTileset.fromUrl(new URL(d.url, ctx.tilesetsBase).href, { maximumScreenSpaceError: 16 });
  tagTileset(tileset, d.id);
  tileset.style = new Cesium3DTileStyle(BUILDING_STYLE);
  tileset.tileFailed.addEventListener((e: { message?: string }) => {
    ctx.store.getState().setLayerStatus(d.id, 'error', e.message ?? 'a tile failed to load');
  });
  const coverage = await ctx.terrainCoverage;
  const offset = displayOffsetM(d, coverage.covers(d.centre[0], d.centre[1]));
  if (offset !== 0) {
    const up = Ellipsoid.WGS84.geodeticSurfaceNormal(Cartesian3.fromDegrees(d.centre[0], d.centre[1]));
    tileset.modelMatrix = Matrix4.fromTranslation(Cartesian3.multiplyByScalar(up, offset, new Cartesian3()));
  }
  ctx.viewer.scene.primitives.add(tileset);
  ctx.viewer.requestRender();
  return {
    note: offset !== 0 ? { key: 'buildings.displayOffset', params: { offset: Math.abs(offset) } } : undefined,
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
