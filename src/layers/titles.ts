import { isMessageKey, t, type Lang } from '../i18n';

/** A layer's name in the UI language: a translated key when we have one, else the manifest's title. */
export function layerTitle(lang: Lang, layerId: string, fallback: string): string {
  for (const key of [`layer.${layerId}`, `layer.buildings.${layerId}`]) if (isMessageKey(key)) return t(lang, key);
  return fallback;
}
