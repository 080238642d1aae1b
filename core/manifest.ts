/**
 * tilesets/manifest.json: the list of layers the embedded dataset offers, written by the tileset pipeline
 * (`npm run tilesets`) and validated here before the app trusts any of it.
 */
import { z } from './zod';

const bbox = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const manifestEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  kind: z.enum(['terrain', 'imagery', 'buildings', 'boundaries', 'places', 'sensors', 'climate', 'coverage']),
  /** Relative to the tilesets/ folder; never absolute, never another host. */
  url: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/).refine((u) => !u.includes('..'), 'no parent folders'),
  title: z.string().max(200),
  source: z.string().max(500),
  licence: z.string().max(200),
  attribution: z.string().max(500),
  sourceCrs: z.string().max(40),
  sourceVerticalDatum: z.string().max(40),
  bbox,
  featureCount: z.number().int().nonnegative().optional(),
  extras: z.record(z.string(), z.unknown()).optional(),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export const manifestSchema = z.object({
  version: z.literal(1),
  layers: z.array(manifestEntrySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function parseManifest(json: unknown): Manifest {
  const r = manifestSchema.safeParse(json);
  if (!r.success) throw new Error(`tilesets/manifest.json is not valid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}
