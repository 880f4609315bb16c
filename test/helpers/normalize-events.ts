/**
 * Runs the model's NetworkLog over a recorded event stream (the fixtures' `{t, name, p}` shape), for tests and
 * benchmarks.
 */
import type { NetworkEntry } from '../../src/model/types.js';
import type { NetworkLogOptions } from '../../src/model/network-log.js';
import { NetworkLog } from '../../src/model/network-log.js';

/** One recorded BiDi event: `name` = event method, `p` = params, `t` = arrival time (epoch ms) when recorded. */
export interface RecordedBidiEvent {
  name: string;
  p: unknown;
  t?: number;
}

/**
 * Feeds every event to a fresh {@link NetworkLog} in order and returns the retained entries in index order.
 * Events without `t` use the previous event's time (or 0) as their arrival time, so the result is deterministic.
 */
export function normalizeEvents(events: readonly RecordedBidiEvent[], options?: NetworkLogOptions): NetworkEntry[] {
  const log = new NetworkLog(options);
  let lastTime = 0;
  for (const event of events) {
    if (typeof event.t === 'number' && Number.isFinite(event.t)) lastTime = event.t;
    log.ingest(event.name, event.p, lastTime);
  }
  return [...log.entries()];
}
