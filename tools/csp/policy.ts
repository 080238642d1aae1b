/**
 * The production Content-Security-Policy, one source for the build (a <meta> in dist/index.html, so it travels
 * to any static host), `vite preview` and the nginx configuration (deploy/nginx). Scripts, workers and data only
 * from the page's own origin, no eval, no inline scripts. 'wasm-unsafe-eval' lets WebAssembly compile (Cesium's
 * meshopt and Draco decoders, the coverage SIMD kernel) without allowing any JavaScript eval. Inline style
 * attributes stay allowed: Cesium positions its canvas and credits with them. `blob:` serves exported files and
 * Cesium's own worker bootstrap. `connectOrigins` are the only other origins the page may connect to (a
 * SensorThings server elsewhere); `dataOrigins` the map services and files the deployment offers in its
 * catalogue (config.json `dataSources`), which Cesium fetches as data and as images.
 */
export function contentSecurityPolicy(connectOrigins: readonly string[] = [], delivery: 'header' | 'meta' = 'header', dataOrigins: readonly string[] = []): string {
  const data = dataOrigins.filter((o) => !connectOrigins.includes(o));
  const directives = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    ['connect-src', "'self'", 'blob:', 'data:', ...connectOrigins, ...data].join(' '),
    ['img-src', "'self'", 'data:', 'blob:', ...dataOrigins].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ];
  // A browser ignores frame-ancestors in a <meta> (and says so in the console): only a header can carry it.
  if (delivery === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** Origins of absolute http(s)/ws(s) URLs; relative URLs are the page's own origin and need no entry. */
export function originsOf(urls: ReadonlyArray<string | undefined | null>): string[] {
  return [...new Set(urls.filter((u): u is string => !!u && /^(https?|wss?):\/\//.test(u)).map((u) => new URL(u).origin))];
}
