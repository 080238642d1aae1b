/**
 * Terrain: the pipeline's quantized-mesh tiles (EGM96 heights already made ellipsoidal) with vertex normals, so
 * the scene's light shades the relief, and a dashed outline of where the DEM ends. Hiding the layer puts the
 * plain ellipsoid back.
 */
import { CesiumTerrainProvider, EllipsoidTerrainProvider } from 'cesium';
import { packLines, unpackLines } from '../../../core/geo/buffers';
import { groundLines } from '../../scene/ground-lines';
import type { MountLayer } from '../types';
import { terrainDescription } from './description';

export const mountTerrain: MountLayer = async (ctx, entry) => {
  const d = terrainDescription(entry);
  const scene = ctx.viewer.scene;
  const provider = await CesiumTerrainProvider.fromUrl(new URL(d.folderUrl, ctx.tilesetsBase).href, { requestVertexNormals: true, requestWaterMask: false });
  provider.errorEvent.addEventListener((err: { message?: string }) => {
    ctx.store.getState().setLayerStatus(entry.id, 'error', err.message ?? 'a terrain tile failed to load');
  });
  scene.terrainProvider = provider;
  // The outline's code (turf's polygon union) is fetched beside the footprints: the first frame does not wait for it.
  const outlineOf = async () => {
    const [code, json] = await Promise.all([import('./coverage'), fetchCoverage(new URL(d.coverageUrl, ctx.tilesetsBase).href)]);
    return code.coverageOutline(code.parseCoverage(json));
  };
  const rings = await (ctx.cached ? ctx.cached(`terrain-outline:${d.coverageUrl}`, outlineOf) : outlineOf());
  const lonLatH = rings.map((ring) => Float64Array.from(ring.flatMap((p) => [p[0]!, p[1]!, 0])));
  const packed = packLines(lonLatH);
  const ecef = unpackLines({ xyz: await ctx.toEcef(`${entry.id}-coverage`, packed.xyz), offsets: packed.offsets });
  const outline = scene.groundPrimitives.add(groundLines(ecef, { color: '#ff8c00', widthPx: 3, dashed: true }));
  scene.requestRender();
  return {
    setVisible(visible: boolean) {
      scene.terrainProvider = visible ? provider : new EllipsoidTerrainProvider();
      outline.show = visible;
      scene.requestRender();
    },
    dispose() {
      scene.terrainProvider = new EllipsoidTerrainProvider();
      scene.groundPrimitives.remove(outline);
      scene.requestRender();
    },
  };
};

async function fetchCoverage(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`terrain coverage: HTTP ${res.status}`);
  return (await res.json()) as unknown;
}
