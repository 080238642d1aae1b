/** What an imported file may be, in one place: the importer enforces it and the import dialog states it. */

/** Files above this size are refused before reading: the page must stay usable (and the worker within memory). */
export const MAX_IMPORT_BYTES = 150 * 1024 * 1024;
