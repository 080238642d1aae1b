/**
 * The catalogue's layers: a map service or a file the user adds, drawn through Cesium's readers, listed in the
 * store (kind 'catalogue'), shown, hidden, made see-through and removed. Only origins the deployment's policy
 * allows are ever requested: anything else is refused by name before a request leaves the page. A source that
 * fails says so on its own layer and in a notice; nothing else the user has open changes.
 */
import { Cartographic, JulianDate, Math as CesiumMath, type Cartesian3 } from 'cesium';
import type { Offer } from '../../../core/catalogue/capabilities';
import { fileKind, sourceOrigin, type CatalogueSource } from '../../../core/catalogue/source';
import { allowedByPolicy, connectSources } from '../../config/runtime-config';
import { t } from '../../i18n';
import { watch, type AppStore } from '../../state/store';
import type { TwinViewer } from '../../scene/create-viewer';
import { tagDataSource } from '../../scene/picking';
import { mountCatalogueSource, type CatalogueHandle } from './cesium';

export interface CatalogueController {
  /** Whether the deployment's policy lets the page fetch from this URL. */
  allowed(url: string): boolean;
  /** A WMS's or WMTS's layers, read from its capabilities. */
  read(kind: 'wms' | 'wmts', url: string): Promise<Offer>;
  /** Adds a layer and resolves with its id; rejects (with the layer gone and a notice shown) when it cannot be read. */
  add(source: CatalogueSource, file?: File): Promise<string>;
  addFile(file: File): Promise<string>;
  remove(layerId: string): void;
  /** Every point of a data source layer's entities (WGS84), as drawn. */
  entities(layerId: string): Array<{ name: string; lonDeg: number; latDeg: number; heightM: number }>;
  detach(): void;
  rebind(viewer: TwinViewer): Promise<void>;
}

interface Entry {
  readonly source: CatalogueSource;
  readonly file?: File;
  handle: CatalogueHandle | null;
}

const policy = (): string[] | null => connectSources(document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null);

function allowed(url: string): boolean {
  try {
    return allowedByPolicy(url, document.baseURI, policy());
  } catch {
    return false;
  }
}

/** Capabilities and KML fetched by the page wait at most this long: a dead service must not hang the dialog. */
const FETCH_TIMEOUT_MS = 20_000;

export function createCatalogueController(initialViewer: TwinViewer, store: AppStore): CatalogueController {
  const entries = new Map<string, Entry>();
  let viewer = initialViewer;
  let seq = 0;
  watch(store, (s) => s.layers, (layers) => {
    for (const [id, e] of entries) {
      e.handle?.setVisible(layers[id]?.visible ?? true);
      if (layers[id]?.opacity !== undefined) e.handle?.setOpacity?.(layers[id]!.opacity!);
    }
  });

  const refuse = (url: string): Error => {
    const s = store.getState();
    return new Error(t(s.lang, 'catalogue.notAllowed', { origin: sourceOrigin({ url }) ?? url }));
  };

  const mount = async (id: string, e: Entry): Promise<void> => {
    const handle = await mountCatalogueSource(viewer, e.source, id, e.file);
    if (!entries.has(id)) return handle.dispose();
    e.handle = handle;
    if (handle.dataSource) tagDataSource(handle.dataSource, id);
    const layer = store.getState().layers[id];
    handle.setVisible(layer?.visible ?? true);
    if (layer?.opacity !== undefined) handle.setOpacity?.(layer.opacity);
  };

  return {
    allowed,
    async read(kind, url) {
      // The capabilities reader (ogc-client) is fetched with the first service read.
      const { capabilitiesUrl, readWmsOffer, readWmtsOffer } = await import('../../../core/catalogue/capabilities');
      const caps = capabilitiesUrl(kind, url);
      if (!allowed(caps)) throw refuse(caps);
      let text: string;
      try {
        const res = await fetch(caps, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        text = await res.text();
      } catch (err) {
        throw new Error(t(store.getState().lang, 'catalogue.unreachable', { url: caps, message: err instanceof Error ? err.message : String(err) }), { cause: err });
      }
      return kind === 'wms' ? readWmsOffer(text, caps) : readWmtsOffer(text, caps);
    },

    async add(source, file) {
      if (!file && !allowed(source.url)) throw refuse(source.url);
      const id = `catalogue-${++seq}`;
      const s = store.getState();
      s.addCatalogueLayer(id, source.title, { kind: source.kind, url: source.url, owner: source.owner, licence: source.licence, attribution: source.attribution });
      // Imagery starts see-through enough to keep the relief and the buildings readable under it.
      if (source.kind === 'wms' || source.kind === 'wmts' || source.kind === 'xyz') s.setLayerOpacity(id, 0.8);
      const entry: Entry = { source, file, handle: null };
      entries.set(id, entry);
      try {
        await mount(id, entry);
        const st = store.getState();
        st.setLayerStatus(id, 'ready');
        for (const w of entry.handle?.warnings ?? []) st.notify('warning', w);
        if (source.bbox && !file) {
          const [w, so, e, n] = source.bbox;
          const span = Math.max((e - w) * 73_000, (n - so) * 111_000);
          if (span < 60_000) st.flyTo({ lonDeg: (w + e) / 2, latDeg: so - span / 111_000 * 0.6, heightM: span * 1.2, headingDeg: 0, pitchDeg: -45, rollDeg: 0 });
        }
      } catch (err) {
        // Nothing of a source that cannot be read stays behind: the notice names it and why.
        entries.get(id)?.handle?.dispose();
        entries.delete(id);
        const message = err instanceof Error ? err.message : String(err);
        const st = store.getState();
        st.removeLayer(id);
        st.notify('error', t(st.lang, 'catalogue.failed', { source: file?.name ?? source.url, message }));
        throw new Error(message, { cause: err });
      }
      return id;
    },

    addFile(file) {
      const kind = fileKind(file.name);
      if (!kind) return Promise.reject(new Error(`“${file.name}” is not a KML, KMZ, CZML or GPX file`));
      return this.add({ kind, url: `file:${file.name}`, title: file.name }, file);
    },

    remove(layerId) {
      entries.get(layerId)?.handle?.dispose();
      entries.delete(layerId);
      store.getState().removeLayer(layerId);
    },

    entities(layerId) {
      const ds = entries.get(layerId)?.handle?.dataSource;
      if (!ds) return [];
      const now = JulianDate.now();
      const out: Array<{ name: string; lonDeg: number; latDeg: number; heightM: number }> = [];
      const push = (name: string, c: Cartesian3 | undefined) => {
        const g = c ? Cartographic.fromCartesian(c) : undefined;
        if (g) out.push({ name, lonDeg: CesiumMath.toDegrees(g.longitude), latDeg: CesiumMath.toDegrees(g.latitude), heightM: g.height });
      };
      for (const e of ds.entities.values) {
        const at = e.availability?.start ?? now;
        push(e.name ?? e.id, e.position?.getValue(at) as Cartesian3 | undefined);
        for (const p of (e.polyline?.positions?.getValue(at) as Cartesian3[] | undefined) ?? []) push(e.name ?? e.id, p);
      }
      return out;
    },

    detach() {
      for (const e of entries.values()) {
        try {
          e.handle?.dispose();
        } catch {
          // the old scene went with its context
        }
        e.handle = null;
      }
    },

    async rebind(next) {
      viewer = next;
      for (const [id, e] of entries) await mount(id, e).catch(() => store.getState().setLayerStatus(id, 'error', 'could not be drawn again'));
    },
  };
}
