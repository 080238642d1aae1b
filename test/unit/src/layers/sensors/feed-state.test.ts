import { describe, expect, it } from 'vitest';
import { feedNoticeTracker, liveFeedState } from '../../../../../src/layers/sensors/feed-state';
import { createAppStore } from '../../../../../src/state/store';
import type { FeedConnection, SensorLayerInfo } from '../../../../../src/state/types';
import { liveButtonLook } from '../../../../../src/ui/timeline';

describe('notices about the live feed', () => {
  it('one when it is lost, however many reconnect attempts follow, and one when it is back', () => {
    const notice = feedNoticeTracker();
    const seen = (['connecting', 'live', 'reconnecting', 'reconnecting', 'connecting', 'reconnecting', 'live', 'live'] as FeedConnection[]).map(notice);
    expect(seen).toEqual([null, null, 'lost', null, null, null, 'back', null]);
  });

  it('a service unreachable from the start is announced once, and its return too', () => {
    const notice = feedNoticeTracker();
    expect(['offline', 'offline', 'connecting', 'live'].map((c) => notice(c as FeedConnection))).toEqual(['lost', null, null, 'back']);
    const historyOnly = feedNoticeTracker();
    expect(['offline', 'history-only'].map((c) => historyOnly(c as FeedConnection))).toEqual(['lost', 'back']);
  });

  it('a replayed file ends the outage silently', () => {
    const notice = feedNoticeTracker();
    expect(['reconnecting', 'replay', 'live'].map((c) => notice(c as FeedConnection))).toEqual(['lost', null, null]);
  });
});

function storeWithSensors(connection: FeedConnection, service = true) {
  const store = createAppStore();
  store.getState().addLayer('sensors', 'sensors', true);
  store.getState().patchSensors('sensors', { connection, service } as Partial<SensorLayerInfo>, { connection, service } as SensorLayerInfo);
  return store;
}

describe("the timeline's Live button during an outage", () => {
  it('is not green "Live" while the feed reconnects or the service is down', () => {
    for (const c of ['reconnecting', 'offline'] as const) {
      const feed = liveFeedState(storeWithSensors(c).getState().layers);
      expect(feed).toBe(c);
      const look = liveButtonLook('en', true, feed);
      expect(look.state).toBe(c);
      expect(look.text).toBe(c === 'offline' ? 'Offline' : 'Reconnecting…');
      expect(look.title).toMatch(/live sensor feed is lost|cannot be reached/);
    }
    expect(liveButtonLook('de', true, 'offline').text).toBe('Offline');
    expect(liveButtonLook('cs', true, 'reconnecting').text).toBe('Nové připojení…');
  });

  it('is plain "Live" when the feed is live, replayed, or no layer shown reads one', () => {
    expect(liveButtonLook('en', true, liveFeedState(storeWithSensors('live').getState().layers))).toMatchObject({ text: 'Live', state: 'live' });
    expect(liveFeedState(storeWithSensors('replay').getState().layers)).toBe('none');
    expect(liveFeedState(storeWithSensors('offline', false).getState().layers)).toBe('none');
    const hidden = storeWithSensors('offline');
    hidden.getState().setLayerVisible('sensors', false);
    expect(liveFeedState(hidden.getState().layers)).toBe('none');
    // Looking at the past: the button is a plain "jump to now", whatever the feed does.
    expect(liveButtonLook('en', false, 'reconnecting')).toMatchObject({ text: 'Live', state: 'none' });
  });
});
