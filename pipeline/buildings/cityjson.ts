/**
 * The CityJSON reader and polygon triangulation live in `core/formats/cityjson.ts`, shared with the page's file
 * import; this path stays so the buildings step and its tests keep their imports.
 */
export * from '../../core/formats/cityjson';
