/**
 * Waterfall bar geometry from HAR timings. Pure. A phase the producer did not report (`-1`, or named in bidiscope's
 * `timings.comment` as "not reported") is never drawn as zero: whatever part of the total the known phases do not
 * account for is drawn as one `unknown` segment.
 */
import type { HarTimings } from '../har/types.js';

/** Phases in the order a request goes through them; `connect` excludes the TLS part, drawn as `ssl`. */
export const PHASES = ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive'] as const;

/** A phase, or the part of the total no reported phase covers. */
export type BarPhase = (typeof PHASES)[number] | 'unknown';

/** One piece of a bar, in ms from the request's start. */
export interface BarSegment {
  phase: BarPhase;
  start: number;
  duration: number;
}

/** Phases bidiscope's HAR writes as 0 because the browser did not report them (from `timings.comment`). */
function unreportedPhases(comment: string | undefined): Set<string> {
  const match = /([a-z, ]+): not reported by the browser/.exec(comment ?? '');
  return new Set(
    (match?.[1] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

function known(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Segments of one request's bar. `total` is the entry's `time` (-1 when unknown). Known phases are laid end to end in
 * {@link PHASES} order; when they sum to less than the total, the rest is one trailing `unknown` segment (a total
 * with no known phase is all `unknown`). Segments of zero length are left out.
 */
export function barSegments(timings: HarTimings, total: number): BarSegment[] {
  const unreported = unreportedPhases(timings.comment);
  const value = (phase: Exclude<BarPhase, 'unknown'>): number | undefined => (unreported.has(phase) ? undefined : known(timings[phase]));
  const ssl = value('ssl');
  const connectWithSsl = value('connect');
  const connect =
    connectWithSsl === undefined ? undefined : Math.max(0, connectWithSsl - (ssl !== undefined && ssl <= connectWithSsl ? ssl : 0));
  const durations: Record<Exclude<BarPhase, 'unknown'>, number | undefined> = {
    blocked: value('blocked'),
    dns: value('dns'),
    connect,
    ssl,
    send: value('send'),
    wait: value('wait'),
    receive: value('receive'),
  };
  const segments: BarSegment[] = [];
  let cursor = 0;
  for (const phase of PHASES) {
    const duration = durations[phase];
    if (duration === undefined || duration <= 0) continue;
    segments.push({ phase, start: cursor, duration });
    cursor += duration;
  }
  const whole = known(total);
  if (whole !== undefined && whole - cursor > 0.5) segments.push({ phase: 'unknown', start: cursor, duration: whole - cursor });
  return segments;
}
