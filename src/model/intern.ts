/**
 * A bounded string pool. Captured entries repeat the same strings thousands of times (header names and values such
 * as User-Agent, context ids, `source` notes), and every BiDi event brings fresh copies from JSON.parse; keeping one
 * copy per distinct value (with {@link internHeader}) cut the heap of a capture without bodies from ~3.4 to ~1.35
 * KB per entry. Invisible to callers: strings are values. The pool forgets everything when full, so memory stays
 * bounded whatever a page sends.
 *
 * Header objects are pooled the same way ({@link internHeader}): a `{name, value}` pair costs more than its strings,
 * and a capture repeats the same pairs on every request. Pooled headers are frozen, since entries share them.
 */
import type { Header } from './types.js';

/** Longest string worth pooling; longer ones are rarely repeated and cost more to hash than they save. */
const MAX_POOLED_LENGTH = 512;
/** Distinct strings kept before the pool starts over. */
const MAX_POOLED_STRINGS = 8_192;

let pool = new Map<string, string>();

/** The pooled copy of `value` (or `value` itself, now pooled). */
export function intern(value: string): string {
  if (value.length > MAX_POOLED_LENGTH || value.length < 2) return value;
  const pooled = pool.get(value);
  if (pooled !== undefined) return pooled;
  if (pool.size >= MAX_POOLED_STRINGS) pool = new Map();
  pool.set(value, value);
  return value;
}

/** Distinct headers kept before the header pool starts over. */
const MAX_POOLED_HEADERS = 8_192;

let headerPool = new Map<string, Map<string, Header>>();
let pooledHeaders = 0;

/** A frozen `{name, value}` header shared by every entry that has this exact pair (strings pooled too). */
export function internHeader(name: string, value: string): Header {
  if (value.length > MAX_POOLED_LENGTH) return Object.freeze({ name: intern(name), value });
  let byValue = headerPool.get(name);
  const pooled = byValue?.get(value);
  if (pooled !== undefined) return pooled;
  if (pooledHeaders >= MAX_POOLED_HEADERS) {
    headerPool = new Map();
    pooledHeaders = 0;
    byValue = undefined;
  }
  const header: Header = Object.freeze({ name: intern(name), value: intern(value) });
  if (byValue === undefined) {
    byValue = new Map();
    headerPool.set(header.name, byValue);
  }
  byValue.set(header.value, header);
  pooledHeaders++;
  return header;
}
