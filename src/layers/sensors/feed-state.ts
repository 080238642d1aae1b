/**
 * The live feed's state as the user is told it: once when it is lost (not at every reconnect attempt, which
 * would bury the page in notices during an outage), once when it is back, and as one state for the timeline's
 * Live button across the sensor layers shown.
 */
import type { FeedConnection, LayerState } from '../../state/types';

export type FeedNotice = 'lost' | 'back' | null;

/** Feed it every connection the layer reports; it answers what, if anything, to announce. */
export function feedNoticeTracker(): (next: FeedConnection) => FeedNotice {
  let lost = false;
  return (next) => {
    if (next === 'reconnecting' || next === 'offline') {
      if (lost) return null;
      lost = true;
      return 'lost';
    }
    // Reached again: live readings, or the history of a service without a live channel.
    if (next === 'live' || next === 'history-only') {
      if (!lost) return null;
      lost = false;
      return 'back';
    }
    // A recorded file replaces the live feed: its outage is no longer the user's concern.
    if (next === 'replay') lost = false;
    return null;
  };
}

/** 'none': no layer shown reads a live service (the button is a plain "jump to now"). */
export type LiveFeedState = 'live' | 'connecting' | 'reconnecting' | 'offline' | 'none';

const RANK: Record<LiveFeedState, number> = { none: 0, live: 1, connecting: 2, reconnecting: 3, offline: 4 };

/** The worst state among the visible sensor layers that read a live service (a replay is not live). */
export function liveFeedState(layers: Readonly<Record<string, LayerState>>): LiveFeedState {
  let worst: LiveFeedState = 'none';
  for (const layer of Object.values(layers)) {
    const info = layer.sensors;
    if (!layer.visible || !info || info.service === false) continue;
    const c = info.connection;
    const state: LiveFeedState = c === 'live' || c === 'connecting' || c === 'reconnecting' || c === 'offline' ? c : 'none';
    if (RANK[state] > RANK[worst]) worst = state;
  }
  return worst;
}
