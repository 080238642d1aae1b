import { describe, expect, it } from 'vitest';
import { emptyScenario, type Scenario } from '../../../../src/state/scenario';
import { mergeShared, parseShare, parseShareText, scenarioFamily, shareDocument, storyShare } from '../../../../src/state/share';
import type { Story, StorySlide } from '../../../../src/state/story';

const slide = (id: string, scenarioId: string | null): StorySlide => ({
  id,
  camera: { lonDeg: 13.38, latDeg: 49.74, heightM: 2000, headingDeg: 0, pitchDeg: -45, rollDeg: 0 },
  hiddenLayers: [],
  timeIso: '2025-06-21T10:00:00.000Z',
  live: false,
  scenarioId,
  caption: { en: `Slide ${id}`, de: `Folie ${id}`, cs: `Snímek ${id}` },
  durationS: 8,
});
const root = emptyScenario('sc-root', 'Plzeň north');
const variant: Scenario = { ...emptyScenario('sc-variant', 'Plzeň north, taller', 'sc-root'), buildings: [{ id: 'b-1', kind: 'building', footprint: [[13.37, 49.75], [13.371, 49.75], [13.371, 49.751]], heightM: 30, storeys: 10, roof: 'flat' }] };
const other = emptyScenario('sc-other', 'Cheb');
const story: Story = { id: 'story-aaaaaa', title: 'Forum', slides: [slide('s-1', null), slide('s-2', 'sc-variant')] };

describe('a shared document', () => {
  it('round-trips a story and the scenarios its slides show, with their variants, and nothing else', () => {
    const doc = storyShare(story, [root, variant, other]);
    expect(doc.scenarios.map((s) => s.id)).toEqual(['sc-root', 'sc-variant']);
    const back = parseShareText(JSON.stringify(doc));
    expect(back).toEqual({ ok: true, doc });
  });

  it('takes a scenario with its ancestors and descendants', () => {
    const grandchild = emptyScenario('sc-grand', 'g', 'sc-variant');
    expect(scenarioFamily([root, variant, other, grandchild], 'sc-variant').map((s) => s.id)).toEqual(['sc-root', 'sc-variant', 'sc-grand']);
  });

  it('is refused whole when any part is wrong, naming the part', () => {
    const good = JSON.parse(JSON.stringify(shareDocument([story], [root, variant]))) as Record<string, unknown>;
    const bad = (patch: (d: Record<string, any>) => void) => {
      const d = structuredClone(good) as Record<string, any>;
      patch(d);
      const r = parseShare(d);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.problem;
    };
    expect(bad((d) => (d['version'] = 2))).toMatch(/version/);
    expect(bad((d) => (d['extra'] = 1))).toMatch(/unknown field/);
    expect(bad((d) => (d['scenarios'][1]['buildings'][0]['heightM'] = Number.NaN))).toMatch(/scenario/);
    expect(bad((d) => d['scenarios'].push(d['scenarios'][0]))).toMatch(/twice/);
    expect(bad((d) => (d['stories'][0]['slides'][0]['caption']['en'] = 1))).toMatch(/stories/);
    expect(parseShareText('{')).toEqual({ ok: false, problem: 'not JSON' });
  });
});

describe('shared items joining the local ones', () => {
  it('adds new items as they are and never doubles an identical one', () => {
    const m = mergeShared({ stories: [], scenarios: [root] }, shareDocument([story], [root, variant]), (t) => `${t} (imported)`);
    expect(m.scenarios.map((s) => s.id)).toEqual(['sc-variant']);
    expect(m.stories.map((s) => s.id)).toEqual(['story-aaaaaa']);
    expect(m.renamed.size).toBe(0);
  });

  it('renames what clashes with a different local item, and every reference follows', () => {
    const localRoot = { ...root, name: 'Something else entirely' };
    const localStory = { ...story, title: 'My own forum' };
    const m = mergeShared({ stories: [localStory], scenarios: [localRoot] }, shareDocument([story], [root, variant]), (t) => `${t} (imported)`);
    const newRoot = m.renamed.get('sc-root')!;
    expect(newRoot).toMatch(/^sc-/);
    expect(newRoot).not.toBe('sc-root');
    expect(m.scenarios.find((s) => s.id === newRoot)?.name).toBe('Plzeň north');
    expect(m.scenarios.find((s) => s.id === 'sc-variant')?.parentId).toBe(newRoot);
    const arrived = m.stories[0]!;
    expect(arrived.id).toBe(m.renamed.get('story-aaaaaa'));
    expect(arrived.title).toBe('Forum (imported)');
    expect(arrived.slides[1]!.scenarioId).toBe('sc-variant');
  });
});
