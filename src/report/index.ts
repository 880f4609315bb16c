/** The HTML waterfall report: a (redacted) HAR in, one self-contained page out. Pure: no I/O. */
export { renderReport, scriptSafeJson } from './html.js';
export { reportData, DEFAULT_REPORT_LIMITS, PHASE_CODES } from './data.js';
export type { ReportData, ReportRow, ReportDetails, ReportSummary, ReportLimits } from './data.js';
export { barSegments, PHASES } from './geometry.js';
export type { BarSegment, BarPhase } from './geometry.js';
