/** Small number and time formatters shared by the list and details views. */

/** Rounds to at most one decimal and drops a trailing `.0` (`7.25` → `7.3`, `5.0` → `5`). */
export function formatMs(ms: number): string {
  const rounded = Math.round(ms * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

const BYTE_UNITS = ['k', 'M', 'G', 'T'] as const;

/** Compact byte count: `120B`, `2.1k`, `340k`, `3.0M` (1024-based; one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1024) return `${Math.round(bytes)}B`;
  let value = bytes / 1024;
  for (let unitIndex = 0; ; unitIndex += 1) {
    const unit = BYTE_UNITS[unitIndex] ?? 'T';
    const isLastUnit = unitIndex >= BYTE_UNITS.length - 1;
    const oneDecimal = Math.round(value * 10) / 10;
    if (oneDecimal < 10) return `${oneDecimal.toFixed(1)}${unit}`;
    const whole = Math.round(value);
    if (whole < 1024 || isLastUnit) return `${whole}${unit}`;
    value /= 1024;
  }
}

/** Compact duration: `0.4ms`, `8ms`, `120ms`, `1.2s`, `42s`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10) return `${formatMs(ms)}ms`;
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 9.95) return `${(Math.round(seconds * 10) / 10).toFixed(1)}s`;
  if (seconds < 59.5) return `${Math.round(seconds)}s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  const restSeconds = totalSeconds % 60;
  return `${minutes}m${String(restSeconds).padStart(2, '0')}s`;
}

/** `HH:MM:SS.mmm` in UTC (stable across machines; the agent compares times, not time zones). */
export function formatTimeOfDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

/** Cuts a single-line preview to `maxChars`, escaping newlines so one item stays on one line. */
export function oneLinePreview(text: string, maxChars: number): string {
  const escaped = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return escaped.length <= maxChars ? escaped : `${escaped.slice(0, Math.max(0, maxChars - 1))}…`;
}
