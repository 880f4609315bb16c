/** Reasoning across traffic: search, diff, reproduce. Pure: no I/O; callers pass redacted entries. */
export { searchEntries, snippetAround, SEARCH_FIELDS } from './search.js';
export type { SearchField, SearchHit, SearchOutcome } from './search.js';
export { diffEntries, jsonShape, DIFF_THRESHOLDS, NOISE_HEADERS } from './diff.js';
export type { CaptureDiff, DiffEntryRef, DiffOptions, PairChange } from './diff.js';
export { curlCommand, fetchCommand, requestPayload, shellQuote } from './export-request.js';
export type { RequestPayload } from './export-request.js';
