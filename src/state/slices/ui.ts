/** Jobs, notices, selection, language and measurement. */
import type { Lang } from '../types';
import type { JobsSlice, Slice, UiSlice } from './types';

/** Finished jobs are kept briefly so the UI can show their outcome; the map stays small. */
const MAX_JOBS_KEPT = 50;
export const createJobsSlice: Slice<JobsSlice> = (set) => ({
  jobs: {},
  updateJob: (job) =>
    set((s) => {
      const jobs = { ...s.jobs, [job.id]: job };
      const ids = Object.keys(jobs).map(Number);
      for (const id of ids.slice(0, Math.max(0, ids.length - MAX_JOBS_KEPT))) delete jobs[id];
      return { jobs };
    }),
});

let noticeSeq = 0;
export const createUiSlice =
  (initial: { lang: Lang; lite: boolean }): Slice<UiSlice> =>
  (set) => ({
    lang: initial.lang,
    lite: initial.lite,
    selection: null,
    notices: [],
    attributionOpen: false,
    setLang: (lang) => set({ lang }),
    select: (selection) => set({ selection }),
    notify: (level, text, actions) =>
      set((s) => (s.notices.some((n) => n.text === text) ? s : { notices: [...s.notices, { id: ++noticeSeq, level, text, ...(actions ? { actions } : {}) }] })),
    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    setAttributionOpen: (attributionOpen) => set({ attributionOpen }),
    sunStudy: false,
    setSunStudy: (sunStudy) => set({ sunStudy }),
    mastPlacement: null,
    // One tool at a time: arming a mast ends measuring and drawing.
    setMastPlacement: (mastPlacement) => set(mastPlacement ? { mastPlacement, measure: null, scenarioTool: 'none' } : { mastPlacement }),
    measure: null,
    setMeasureMode: (mode) => set(mode ? { measure: { mode, points: [] }, mastPlacement: null, scenarioTool: 'none' } : { measure: null }),
    addMeasurePoint: (point) =>
      set((s) => {
        if (!s.measure) return s;
        // A height difference is between two points: a third click starts a new pair.
        const points = s.measure.mode === 'height' && s.measure.points.length >= 2 ? [point] : [...s.measure.points, point];
        return { measure: { ...s.measure, points: points.slice(-MAX_MEASURE_POINTS) } };
      }),
  });

/** A measurement is a handful of clicks; a runaway one must not grow the store without bound. */
const MAX_MEASURE_POINTS = 200;
