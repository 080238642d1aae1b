/**
 * The terrain tiles are stored gzip-compressed (as Cesium's own terrain servers send them): whatever serves
 * them must say so with `Content-Encoding: gzip`, and the browser inflates them before Cesium sees a byte.
 * This plugin does it for the dev and preview servers; deploy/nginx.conf does the same for nginx.
 */
import type { Connect, Plugin } from 'vite';

export const QUANTIZED_MESH_TYPE = 'application/vnd.quantized-mesh';

const terrainHeaders: Connect.NextHandleFunction = (req, res, next) => {
  if (/\/tilesets\/terrain\/.*\.terrain(\?|$)/.test(req.url ?? '')) {
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Type', QUANTIZED_MESH_TYPE);
    // The static file server must not guess another type after us.
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) => (name.toLowerCase() === 'content-type' ? res : setHeader(name, value));
  }
  next();
};

export function gzippedTerrain(): Plugin {
  return {
    name: 'sddi-gzipped-terrain',
    configureServer: (server) => void server.middlewares.use(terrainHeaders),
    configurePreviewServer: (server) => void server.middlewares.use(terrainHeaders),
  };
}
