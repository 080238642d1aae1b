/** A buildings tileset in the scene: styled (estimated heights stand out) and picked through its layer id. */
import { Cesium3DTileColorBlendMode, Cesium3DTileset, Cesium3DTileStyle } from 'cesium';
import { selectActiveScenario } from '../../state/slices';
import { watch, type AppState } from '../../state/store';
import { tagTileset } from '../../scene/picking';
import type { MountLayer } from '../types';
import { buildingsDescription, buildingsNote, buildingStyle } from './description';

export const mountBuildings: MountLayer = async (ctx, entry) => {
  const d = buildingsDescription(entry);
  const tileset = await Cesium3DTileset.fromUrl(new URL(d.url, ctx.tilesetsBase).href, { maximumScreenSpaceError: 16 });
  tagTileset(tileset, d.id);
  // Buildings the shown scenario would demolish are hidden (the style's `show`); the selected one is highlighted by
  // its id, so the highlight holds in whichever tile draws it: a parent's block from afar, the LoD2 leaf up close.
  const applyStyle = (s: AppState): void => {
    tileset.style = new Cesium3DTileStyle(buildingStyle(demolishedIn(s, d.id), selectedIn(s, d.id)));
    ctx.viewer.requestRender();
  };
  applyStyle(ctx.store.getState());
  const unwatch = watch(ctx.store, (s) => `${demolishedIn(s, d.id).join('\n')}\u0000${selectedIn(s, d.id) ?? ''}`, () => applyStyle(ctx.store.getState()));
  // Mix rather than multiply: amber multiplied into terracotta reads as plain red, not as "estimated", and the
  // selection's blue multiplied into it as black. A white style colour leaves a building's own colours alone in
  // MIX mode (Cesium takes white as "no style"), so only estimated and selected buildings are tinted.
  tileset.colorBlendMode = Cesium3DTileColorBlendMode.MIX;
  tileset.colorBlendAmount = 0.65;
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

/** The id of this layer's selected building, if a building of it is selected. */
export function selectedIn(s: AppState, layerId: string): string | null {
  if (s.selection?.layerId !== layerId) return null;
  return s.selection.properties.find(([k]) => k === 'id')?.[1] ?? null;
}
