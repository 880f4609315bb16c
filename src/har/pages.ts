/** HAR pages: one per top-level navigation, so every entry's `pageref` points at an existing page. */
import type { NetworkEntry } from '../model/types.js';
import type { HarPage } from './types.js';

/** A page the caller already knows (e.g. from browsingContext navigation events). */
export interface PageInput {
  id: string;
  title: string;
  /** Epoch ms. */
  startedAt: number;
}

interface PageSlot extends PageInput {
  /** Keys that tie entries to this page directly: navigation ids and document request ids. */
  keys: Set<string>;
  context?: string;
}

export interface PageAssignment {
  pages: HarPage[];
  /** The `pageref` for an entry (always an id of `pages` when `pages` is non-empty). */
  pagerefOf: (entry: NetworkEntry) => string | undefined;
}

/** Groups entries that start a page: by `navigation` id when the browser reported one, else document requests. */
function derivePageSlots(entries: readonly NetworkEntry[]): PageSlot[] {
  const withNavigation = entries.filter((entry) => entry.navigation !== undefined);
  const starters = withNavigation.length > 0 ? withNavigation : entries.filter((entry) => entry.resourceType === 'document');
  const groups = new Map<string, NetworkEntry[]>();
  for (const entry of starters) {
    const key = entry.navigation !== undefined ? `navigation:${entry.navigation}` : `request:${entry.requestId}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  const slots = [...groups.entries()].map(([key, group]): PageSlot => {
    const finalHop = group.reduce((latest, entry) => (entry.redirectCount > latest.redirectCount ? entry : latest));
    const startedAt = Math.min(...group.map((entry) => entry.startedAt));
    const slot: PageSlot = { id: '', title: finalHop.url, startedAt, keys: new Set([key]) };
    const context = group[0]?.context;
    if (context !== undefined) slot.context = context;
    return slot;
  });
  if (slots.length === 0 && entries.length > 0) {
    const first = entries.reduce((earliest, entry) => (entry.startedAt < earliest.startedAt ? entry : earliest));
    slots.push({ id: '', title: first.url, startedAt: first.startedAt, keys: new Set() });
  }
  slots.sort((a, b) => a.startedAt - b.startedAt);
  slots.forEach((slot, position) => {
    slot.id = `page_${position + 1}`;
  });
  return slots;
}

function slotsFromInput(pages: readonly PageInput[]): PageSlot[] {
  return [...pages].sort((a, b) => a.startedAt - b.startedAt).map((page) => ({ ...page, keys: new Set([`navigation:${page.id}`]) }));
}

/** The latest page started at or before the entry, preferring the entry's own browsing context. */
function latestSlotBefore(slots: readonly PageSlot[], entry: NetworkEntry): PageSlot | undefined {
  const started = slots.filter((slot) => slot.startedAt <= entry.startedAt);
  const sameContext = started.filter((slot) => slot.context !== undefined && slot.context === entry.context);
  const candidates = sameContext.length > 0 ? sameContext : started;
  return candidates[candidates.length - 1];
}

/**
 * Builds HAR pages and the entry → page mapping. With `pages` given, those are used (an entry whose `navigation`
 * equals a page id belongs to it). Otherwise one page per navigation (or per document request when the browser
 * reported no navigation ids; iframe documents count too), titled with the final URL; with no document at all,
 * one page for everything. Entries not tied to a page go to the latest page started before them (same browsing
 * context first), else to the first page.
 */
export function assignPages(entries: readonly NetworkEntry[], pages?: readonly PageInput[]): PageAssignment {
  const slots = pages && pages.length > 0 ? slotsFromInput(pages) : derivePageSlots(entries);
  const harPages: HarPage[] = slots.map((slot) => ({
    startedDateTime: new Date(slot.startedAt).toISOString(),
    id: slot.id,
    title: slot.title,
    pageTimings: {},
  }));
  const pagerefOf = (entry: NetworkEntry): string | undefined => {
    const keys = [`request:${entry.requestId}`];
    if (entry.navigation !== undefined) keys.unshift(`navigation:${entry.navigation}`);
    const direct = slots.find((slot) => keys.some((key) => slot.keys.has(key)));
    return (direct ?? latestSlotBefore(slots, entry) ?? slots[0])?.id;
  };
  return { pages: harPages, pagerefOf };
}
