/**
 * Event streams and capture logs built from the recorded BiDi fixtures (test/fixtures/bidi), for the in-process
 * benchmarks: copies of both browsers' page loads with unique request ids and realms, so every copy makes new entries.
 */
import type { RecordedBidiEvent } from '../../test/helpers/normalize-events.js';
import { NetworkLog } from '../../src/model/network-log.js';
import { loadFixtureEvents, type FixtureName } from '../../test/helpers/fixture-events.js';

const FIXTURES: readonly FixtureName[] = ['chromium-156-index-page', 'firefox-153-index-page'];

/** The events bidiscope subscribes to (fixtures recorded by older scripts also held Chromium `goog:cdp.*` events). */
function isSubscribedEvent(name: string): boolean {
  return name.startsWith('network.') || name === 'script.message';
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A flat copy of a string built by concatenation (as JSON.parse would have made it). */
function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * A deep copy of one event whose request id / realm carry the copy number. Copied through JSON, as the server gets
 * its events: JSON.parse shares short strings between copies (as in a real capture), structuredClone does not.
 */
function relabel(event: RecordedBidiEvent, copy: number): RecordedBidiEvent {
  const params = JSON.parse(JSON.stringify(event.p)) as unknown;
  const record = asObject(params);
  const request = asObject(record?.['request']);
  if (request && typeof request['request'] === 'string') request['request'] = flat(`${request['request']}~${copy}`);
  const source = asObject(record?.['source']);
  if (source && typeof source['realm'] === 'string') source['realm'] = flat(`${source['realm']}~${copy}`);
  return { name: event.name, p: params, ...(event.t === undefined ? {} : { t: event.t }) };
}

/** The subscribed events of both fixtures, unchanged, in recorded order (Chromium's page load, then Firefox's). */
export function fixtureEvents(): RecordedBidiEvent[] {
  return FIXTURES.flatMap((name) => loadFixtureEvents(name).filter((event) => isSubscribedEvent(event.name)));
}

/** `copies` relabelled copies of {@link fixtureEvents}, one after the other. */
export function syntheticStream(copies: number): RecordedBidiEvent[] {
  const base = fixtureEvents();
  const stream: RecordedBidiEvent[] = [];
  for (let copy = 0; copy < copies; copy++) for (const event of base) stream.push(relabel(event, copy));
  return stream;
}

/** Feeds a stream to a fresh log (arrival times from the recording). */
export function ingestAll(events: readonly RecordedBidiEvent[], log = new NetworkLog()): NetworkLog {
  for (const event of events) log.ingest(event.name, event.p, event.t ?? 0);
  return log;
}

/** A capture log holding at least `entries` entries built from fixture copies. */
export function syntheticLog(entries: number): NetworkLog {
  const perCopy = ingestAll(fixtureEvents()).stats().retained;
  const log = ingestAll(syntheticStream(Math.ceil(entries / perCopy)));
  return log;
}

/** A capture log of at least `entries` entries from one browser's recorded page load (relabelled copies). */
export function browserLog(fixture: FixtureName, entries: number): NetworkLog {
  const base = loadFixtureEvents(fixture).filter((event) => isSubscribedEvent(event.name));
  const perCopy = ingestAll(base).stats().retained;
  const stream: RecordedBidiEvent[] = [];
  for (let copy = 0; copy < Math.ceil(entries / perCopy); copy++) for (const event of base) stream.push(relabel(event, copy));
  return ingestAll(stream);
}
