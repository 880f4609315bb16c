/** Text for an AI agent: compact list lines, paged listings and request details. Pure: no I/O. */
export { formatListLine, formatListPage, shortErrorName } from './list.js';
export type { ListLineOptions, ListPageOptions } from './list.js';
export { formatDetails, timingLine } from './details.js';
export type { DetailsOptions, DetailsResult } from './details.js';
export { previewBody, prettyPrintJson } from './body-preview.js';
export type { BodyPreview } from './body-preview.js';
export { formatBytes, formatDuration, formatMs, formatTimeOfDay } from './units.js';
export { shortenUrl, cutMiddle, originOf } from './url.js';
export type { ShortenUrlOptions } from './url.js';
export { mimeKind, listKind } from './kinds.js';
