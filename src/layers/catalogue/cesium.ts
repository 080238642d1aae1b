/**
 * A catalogue source drawn through Cesium's own readers: WMS, WMTS and XYZ as imagery layers on the terrain,
 * 3D Tiles as a tileset, GeoJSON, CZML, KML/KMZ and GPX as data sources clamped to the ground. Nothing from a
 * source's descriptions is shown as HTML (the twin has no Cesium info box; picking reads names and properties).
 */
import {
  Cesium3DTileset, CzmlDataSource, DataSourceCollection, DataSourceDisplay, GeoJsonDataSource, GeographicTilingScheme, GpxDataSource, ImageryLayer,
  KmlDataSource, Rectangle, UrlTemplateImageryProvider, WebMapServiceImageryProvider, WebMapTileServiceImageryProvider, WebMercatorTilingScheme,
  type DataSource, type ImageryProvider,
} from 'cesium';
import type { CatalogueSource } from '../../../core/catalogue/source';
import type { TwinViewer } from '../../scene/create-viewer';
import { tagTileset } from '../../scene/picking';
import { safeKml } from './kml';

export interface CatalogueHandle {
  setVisible(visible: boolean): void;
  setOpacity?(alpha: number): void;
  dispose(): void;
  /** The data source, for picking and for the positions the tests compare. */
  readonly dataSource?: DataSource;
  /** Things the user should know (e.g. a KML network link that was not followed). */
  readonly warnings: string[];
}

/** One display per viewer draws every data source (CesiumWidget has none of its own, unlike Viewer). */
const displays = new WeakMap<TwinViewer, { collection: DataSourceCollection; display: DataSourceDisplay }>();

function displayOf(viewer: TwinViewer): DataSourceCollection {
  let d = displays.get(viewer);
  if (!d) {
    const collection = new DataSourceCollection();
    const display = new DataSourceDisplay({ scene: viewer.scene, dataSourceCollection: collection });
    // Entities are turned into primitives on the clock's tick; until they are ready the scene keeps rendering.
    viewer.widget.clock.onTick.addEventListener((clock) => {
      if (!display.update(clock.currentTime)) viewer.requestRender();
    });
    collection.dataSourceAdded.addEventListener(() => viewer.requestRender());
    d = { collection, display };
    displays.set(viewer, d);
  }
  return d.collection;
}

const rectangleOf = (s: CatalogueSource): Rectangle | undefined => (s.bbox ? Rectangle.fromDegrees(...s.bbox) : undefined);

function imageryProvider(s: CatalogueSource): ImageryProvider {
  const rectangle = rectangleOf(s);
  const credit = s.attribution;
  const tilingScheme = s.crs === 'EPSG:4326' ? new GeographicTilingScheme() : new WebMercatorTilingScheme();
  switch (s.kind) {
    case 'wms':
      return new WebMapServiceImageryProvider({
        url: s.url, layers: s.layer ?? '', tilingScheme, rectangle, credit,
        parameters: { transparent: true, format: s.format === 'image/jpeg' ? 'image/jpeg' : 'image/png', styles: '' },
      });
    case 'wmts':
      return new WebMapTileServiceImageryProvider({
        url: s.url, layer: s.layer ?? '', style: s.style ?? 'default', format: s.format ?? 'image/png', tileMatrixSetID: s.tileMatrixSet ?? '',
        tileMatrixLabels: s.tileMatrixLabels, maximumLevel: s.tileMatrixLabels ? s.tileMatrixLabels.length - 1 : undefined, tilingScheme, rectangle, credit,
      });
    default:
      return new UrlTemplateImageryProvider({ url: s.url, tilingScheme, rectangle, credit });
  }
}

async function dataSourceOf(viewer: TwinViewer, s: CatalogueSource, file: File | undefined, warnings: string[]): Promise<DataSource> {
  const kmlOptions = { clampToGround: true, camera: viewer.scene.camera, canvas: viewer.scene.canvas };
  const data = file ?? s.url;
  const name = file?.name ?? s.url;
  switch (s.kind) {
    case 'geojson':
      return GeoJsonDataSource.load(data instanceof File ? JSON.parse(await data.text()) as object : data, { clampToGround: true });
    case 'czml':
      return CzmlDataSource.load(data instanceof File ? JSON.parse(await data.text()) as object : data);
    case 'gpx':
      return GpxDataSource.load(data, { clampToGround: true });
    default: {
      // KMZ is a zip: Cesium unpacks it; plain KML is checked first (network links, nesting).
      if (/\.kmz$/i.test(name)) return KmlDataSource.load(data, kmlOptions);
      const text = data instanceof File ? await data.text() : await fetchText(data);
      const safe = safeKml(text, name);
      if (safe.removedNetworkLinks > 0) warnings.push(`${name}: ${safe.removedNetworkLinks} network link(s) to other documents were not followed`);
      return KmlDataSource.load(safe.doc, kmlOptions);
    }
  }
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  return res.text();
}

/** Draws a source into the scene; rejects with the reader's message when the source cannot be read. */
export async function mountCatalogueSource(viewer: TwinViewer, s: CatalogueSource, layerId: string, file?: File): Promise<CatalogueHandle> {
  const warnings: string[] = [];
  if (s.kind === 'wms' || s.kind === 'wmts' || s.kind === 'xyz') {
    const layer = new ImageryLayer(imageryProvider(s));
    // A service that fails a tile says so once; the layer stays (other tiles may load).
    viewer.scene.imageryLayers.add(layer);
    viewer.requestRender();
    return {
      warnings,
      setVisible: (v) => { layer.show = v; viewer.requestRender(); },
      setOpacity: (a) => { layer.alpha = a; viewer.requestRender(); },
      dispose: () => { viewer.scene.imageryLayers.remove(layer, true); viewer.requestRender(); },
    };
  }
  if (s.kind === '3dtiles') {
    const tileset = await Cesium3DTileset.fromUrl(s.url);
    tagTileset(tileset, layerId);
    viewer.scene.primitives.add(tileset);
    viewer.requestRender();
    return {
      warnings,
      setVisible: (v) => { tileset.show = v; viewer.requestRender(); },
      dispose: () => { viewer.scene.primitives.remove(tileset); viewer.requestRender(); },
    };
  }
  const ds = await dataSourceOf(viewer, s, file, warnings);
  const collection = displayOf(viewer);
  await collection.add(ds);
  viewer.requestRender();
  return {
    warnings,
    dataSource: ds,
    setVisible: (v) => { ds.show = v; viewer.requestRender(); },
    dispose: () => { collection.remove(ds, true); viewer.requestRender(); },
  };
}
