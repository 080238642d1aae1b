/** A buildings tileset in the scene: styled (estimated heights stand out) and picked through its layer id. */
import { Cesium3DTileColorBlendMode, Cesium3DTileset, Cesium3DTileStyle } from 'cesium';
import { selectActiveScenario } from '../../state/slices';
import { watch, type AppState } from '../../state/store';
import { tagTileset } from '../../scene/picking';
import type { MountLayer } from '../types';
import { BUILDING_STYLE, buildingsDescription, buildingsNote } from './description';

export const mountBuildings: MountLayer = async (ctx, entry) => {
  const d = buildingsDescription(entry);
  const tileset = await Cesium3DTileset.fromUrl(new URL(d.url, ctx.tilesetsBase).href, { maximumScreenSpaceError: 16 });
  tagTileset(tileset, d.id);
  // Buildings the shown scenario would demolish are hidden (the style's `show`); the rest keep the usual style.
  const applyStyle = (featureIds: readonly string[]): void => {
    // `show` is always given: a style without one leaves hidden features hidden (Cesium keeps their last state).
    tileset.style = new Cesium3DTileStyle({ ...BUILDING_STYLE, show: featureIds.length === 0 ? 'true' : demolitionShow(featureIds) });
    ctx.viewer.requestRender();
  };
  applyStyle(demolishedIn(ctx.store.getState(), d.id));
  const unwatch = watch(ctx.store, (s) => demolishedIn(s, d.id).join('\n'), () => applyStyle(demolishedIn(ctx.store.getState(), d.id)));
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
      unwatch();
      ctx.viewer.scene.primitives.remove(tileset);
      ctx.viewer.requestRender();
    },
  };
};

/**
 * Feature ids of this layer that the scene hides: the active scenario's demolitions, or while two variants are
 * compared those both share (one tileset cannot differ left and right of the divider).
 */
export function demolishedIn(s: AppState, layerId: string): string[] {
  const ids = (id: string | null | undefined): string[] =>
    s.scenarios.find((x) => x.id === id)?.demolitions.filter((m) => m.layerId === layerId).map((m) => m.featureId) ?? [];
  if (s.scenarioCompare) {
    const b = new Set(ids(s.scenarioCompare.b));
    return ids(s.scenarioCompare.a).filter((f) => b.has(f)).toSorted();
  }
  return (selectActiveScenario(s)?.demolitions.filter((m) => m.layerId === layerId).map((m) => m.featureId) ?? []).toSorted();
}

/** A style `show` expression hiding these features (ids are validated to a quote-free alphabet when marked). */
export function demolitionShow(featureIds: readonly string[]): string {
  return `!(${featureIds.map((f) => `String(\${id}) === '${f.replace(/[^A-Za-z0-9_.:/-]/g, '')}'`).join(' || ')})`;
}
