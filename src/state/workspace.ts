/**
 * Workspaces: one per task of the twin's users, each a choice of layers and of the panels in the dock.
 *   explore   terrain, imagery, border, names and buildings; no analysis overlays (the first visit's default)
 *   plan      the same ground with the scenario tools and the sun and measuring tools
 *   coverage  the modelled mobile coverage and its comparison panel
 *   sensors   the sensor heatmap and the timeline
 *   climate   the measured ČHMÚ record 1961–2019 (months and years on the timeline, anomalies, station charts)
 *   present   the story panel (play, kiosk, offline)
 * Switching sets the layers' visibility; the layer list can still change anything afterwards, and a link keeps
 * the visibility it was made with. Only what a workspace shows is loaded (see layers/mount.ts).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { LayerKind, LayerState } from './types';

export const WORKSPACES = ['explore', 'plan', 'coverage', 'sensors', 'climate', 'present'] as const;
export type WorkspaceId = (typeof WORKSPACES)[number];
export const DEFAULT_WORKSPACE: WorkspaceId = 'explore';

/** A panel of the dock. The layer list is in every workspace, folded where the workspace has its own panel. */
export type DockPanel = 'tools' | 'scenario' | 'coverage' | 'stories' | 'layers';

export interface WorkspaceSpec {
  /** Layer kinds shown on entering; the user's imported layers are never switched. */
  readonly shows: readonly LayerKind[];
  readonly panels: readonly DockPanel[];
  /** The timeline at the bottom (time-aware layers, the sun). */
  readonly timeline: boolean;
  /**
   * Where the camera goes when the user enters the workspace from close up (below OVERVIEW_BELOW_M): a record of
   * a whole region seen from a street corner is one colour. A link's or a story's camera is never moved.
   */
  readonly overview?: { readonly lonDeg: number; readonly latDeg: number; readonly heightM: number; readonly headingDeg: number; readonly pitchDeg: number; readonly rollDeg: number };
}

export const OVERVIEW_BELOW_M = 120_000;

const GROUND: readonly LayerKind[] = ['terrain', 'imagery', 'boundaries', 'places', 'buildings'];

export const WORKSPACE_SPECS: Readonly<Record<WorkspaceId, WorkspaceSpec>> = {
  explore: { shows: GROUND, panels: ['tools', 'layers'], timeline: false },
  plan: { shows: GROUND, panels: ['scenario', 'tools', 'layers'], timeline: true },
  coverage: { shows: [...GROUND, 'coverage'], panels: ['coverage', 'layers'], timeline: false },
  sensors: { shows: [...GROUND, 'sensors'], panels: ['layers'], timeline: true },
  // Straight down over the ČHMÚ stations (lon 12.1–14.5° E), west of their middle by the dock's share of the screen.
  climate: { shows: [...GROUND, 'climate'], panels: ['layers'], timeline: true, overview: { lonDeg: 12.45, latDeg: 49.7, heightM: 480_000, headingDeg: 0, pitchDeg: -90, rollDeg: 0 } },
  present: { shows: GROUND, panels: ['stories', 'layers'], timeline: false },
};

export function isWorkspace(v: unknown): v is WorkspaceId {
  return typeof v === 'string' && (WORKSPACES as readonly string[]).includes(v);
}

/** Whether a layer of this kind is on when the workspace is entered. */
export function workspaceShows(ws: WorkspaceId, kind: LayerKind): boolean {
  return WORKSPACE_SPECS[ws].shows.includes(kind);
}

/** The layers with the workspace's visibility; the same object back when nothing changes. */
export function layersFor(ws: WorkspaceId, layers: Readonly<Record<string, LayerState>>): Readonly<Record<string, LayerState>> {
  let out: Record<string, LayerState> | null = null;
  for (const [id, l] of Object.entries(layers)) {
    if (l.kind === 'imported') continue;
    const visible = workspaceShows(ws, l.kind);
    if (l.visible === visible) continue;
    out ??= { ...layers };
    out[id] = { ...l, visible };
  }
  return out ?? layers;
}

export interface WorkspaceSlice {
  workspace: WorkspaceId;
  /** The dock (the workspace's panels) is open; folded, the scene has the whole width. */
  dockOpen: boolean;
  /** Workspaces whose first-run hint the user has closed (kept in this browser). */
  hintsDismissed: readonly WorkspaceId[];
  dismissHint(ws: WorkspaceId): void;
  /** Enter a workspace: its layers and panels; tools waiting for a click are ended. */
  setWorkspace(ws: WorkspaceId): void;
  setDockOpen(open: boolean): void;
}

type WorkspaceDeps = WorkspaceSlice & {
  layers: Record<string, LayerState>;
  storyPanelOpen: boolean;
  measure: unknown;
  scenarioTool: 'none' | 'draw-building';
  mastPlacement: unknown;
};

export const createWorkspaceSlice = <S extends WorkspaceDeps>(initial: WorkspaceId = DEFAULT_WORKSPACE, hintsDismissed: readonly WorkspaceId[] = []): StateCreator<S, [], [], WorkspaceSlice> => (set, get) => ({
  workspace: initial,
  dockOpen: true,
  hintsDismissed,
  dismissHint: (ws) => {
    if (!get().hintsDismissed.includes(ws)) set({ hintsDismissed: [...get().hintsDismissed, ws] } as unknown as Partial<S>);
  },
  setWorkspace: (ws) => {
    const s = get();
    set({
      workspace: ws,
      dockOpen: true,
      layers: layersFor(ws, s.layers) as Record<string, LayerState>,
      storyPanelOpen: ws === 'present',
      measure: null,
      scenarioTool: 'none',
      mastPlacement: null,
    } as Partial<S>);
  },
  setDockOpen: (dockOpen) => set({ dockOpen } as Partial<S>),
});
