/**
 * Draped analysis overlays (the sensor heatmap, coverage maps) start well below opaque, so the image, the relief
 * and the buildings stay readable under them; the layer list has a slider for each.
 */
export const OVERLAY_OPACITY = 0.55;
