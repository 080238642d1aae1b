/**
 * Parsed dataset files that outlive a scene: a lost WebGL context rebuilds the viewer and remounts every layer,
 * but the bytes of the coverage grids or the municipal outlines have not changed, and parsing them again would
 * stretch the time the user waits for the scene to come back. One cache per page, owned by the composition root.
 * A load that fails is forgotten, so the next mount tries again. Cached values are shared: read them, never
 * mutate or transfer them.
 */
export type DataCache = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export function createDataCache(): DataCache {
  const entries = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let p = entries.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      entries.set(key, p);
      p.catch(() => entries.delete(key));
    }
    return p;
  };
}
