/**
 * The one tool that owns the pointer, if any: measuring, drawing a proposed building or placing a mast. While one
 * is active a click on the scene is the tool's (never a selection), the cursor is a crosshair, a hint says what
 * the click will do, and Escape ends it (see ui/tool-hint.ts). Derived from the store's settled values.
 */
import type { AppState } from './store';

export type ToolMode =
  | { readonly kind: 'measure'; readonly mode: 'distance' | 'area' | 'height' }
  | { readonly kind: 'draw-building' }
  | { readonly kind: 'place-mast'; readonly operator: string; readonly moving: boolean };

export function activeTool(s: Pick<AppState, 'measure' | 'scenarioTool' | 'mastPlacement'>): ToolMode | null {
  if (s.mastPlacement) return { kind: 'place-mast', operator: s.mastPlacement.operator, moving: s.mastPlacement.moveId !== undefined };
  if (s.scenarioTool === 'draw-building') return { kind: 'draw-building' };
  if (s.measure) return { kind: 'measure', mode: s.measure.mode };
  return null;
}

/** Leave whatever tool is active: the store's part of Escape. */
export function endTools(s: Pick<AppState, 'setMeasureMode' | 'setScenarioTool' | 'setMastPlacement' | 'measure' | 'scenarioTool' | 'mastPlacement'>): boolean {
  const any = s.measure !== null || s.scenarioTool !== 'none' || s.mastPlacement !== null;
  if (s.mastPlacement) s.setMastPlacement(null);
  if (s.scenarioTool !== 'none') s.setScenarioTool('none');
  if (s.measure) s.setMeasureMode(null);
  return any;
}
