/** The selection's colour in the scene: picking gives it to the picked feature, a buildings layer also by id in its style. */
export const HIGHLIGHT_CSS = '#4aa3ff';
