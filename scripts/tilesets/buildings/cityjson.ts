/**
 * The CityJSON reader and polygon triangulation live in `src/formats/cityjson.ts`, shared with the page's file
 * import; this path stays so the buildings step and its tests keep their imports.
 */
export * from '../../../src/formats/cityjson';
