import { isMessageKey, t, type Lang } from '../i18n';

/** A layer's name in the UI language: a translated key when we have one, else the manifest's title. */
export function layerTitle(lang: Lang, layerId: string, fallback: string): string {
  for (const key of [`layer.${layerId}`, `layer.buildings.${layerId}`]) if (isMessageKey(key)) return t(lang, key);
  return fallback;
}

/**
 * The name the user knows a layer by, wherever it is shown: an imported file's own name (the store's `title`),
 * else the translated or manifest title; the internal id only when there is nothing else.
 */
export function layerName(lang: Lang, layerId: string, storeTitle: string | undefined, manifestTitle: string | undefined): string {
  return storeTitle ?? layerTitle(lang, layerId, manifestTitle ?? layerId);
}
