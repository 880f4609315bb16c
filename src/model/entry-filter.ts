/** Filters for listing captured entries (`list_network_requests`). Pure. */
import type { NetworkEntry, ResourceType } from './types.js';
import { compileUrlFilter } from './url-filter.js';

/** What a caller may filter on; every field optional. */
export interface EntryFilterSpec {
  urlFilter?: string;
  method?: string;
  /** 404, "404", "4xx", "400-499". */
  status?: number | string;
  resourceType?: ResourceType;
  /** Network errors and HTTP status ≥ 400 (WebSocket and stream errors too). */
  failedOnly?: boolean;
}

/** Thrown for a status filter that is not understood. */
export class StatusFilterError extends Error {}

function compileStatus(status: number | string): (code: number) => boolean {
  if (typeof status === 'number') return (code) => code === status;
  const text = status.trim().toLowerCase();
  const exact = /^(\d{3})$/.exec(text);
  if (exact) return (code) => code === Number(exact[1]);
  const family = /^([1-5])xx$/.exec(text);
  if (family) {
    const base = Number(family[1]) * 100;
    return (code) => code >= base && code < base + 100;
  }
  const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(text);
  if (range) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    if (low <= high) return (code) => code >= low && code <= high;
  }
  throw new StatusFilterError(`status "${status}" not understood; use 404, "4xx" or "400-499".`);
}

/** True when the entry failed: network error, HTTP ≥ 400, or a WebSocket/stream error. */
function isFailedEntry(entry: NetworkEntry): boolean {
  if (entry.state === 'failed') return true;
  if (entry.response && entry.response.status >= 400) return true;
  return entry.webSocket?.error !== undefined || entry.stream?.error !== undefined;
}

/** Compiles a spec into a predicate; throws for a bad regex or status. */
export function compileEntryFilter(spec: EntryFilterSpec): (entry: NetworkEntry) => boolean {
  const url = spec.urlFilter === undefined ? undefined : compileUrlFilter(spec.urlFilter);
  const method = spec.method?.toUpperCase();
  const status = spec.status === undefined ? undefined : compileStatus(spec.status);
  return (entry) => {
    if (url && !url.matches(entry.url)) return false;
    if (method && entry.method.toUpperCase() !== method) return false;
    if (spec.resourceType && entry.resourceType !== spec.resourceType) return false;
    if (status && (!entry.response || !status(entry.response.status))) return false;
    if (spec.failedOnly && !isFailedEntry(entry)) return false;
    return true;
  };
}

/** Says which filters are in force, for the list header. */
export function describeEntryFilter(spec: EntryFilterSpec): string {
  const parts: string[] = [];
  if (spec.urlFilter !== undefined) parts.push(`url~${spec.urlFilter}`);
  if (spec.method !== undefined) parts.push(`method=${spec.method.toUpperCase()}`);
  if (spec.status !== undefined) parts.push(`status=${spec.status}`);
  if (spec.resourceType !== undefined) parts.push(`type=${spec.resourceType}`);
  if (spec.failedOnly) parts.push('failedOnly');
  return parts.join(' ');
}
