/**
 * Keep-alive for sessions on a WebDriver endpoint bidiscope did not start. A Selenium Grid ends a session after its
 * `session-timeout` (300 s by default) without traffic, and its BiDi proxy then keeps the client's socket open while
 * the browser is gone, so commands hang until their own bound. A cheap BiDi command at an interval keeps the
 * session alive for as long as bidiscope holds it (BiDi traffic counts as activity; measured on Grid 4.48), and a
 * keep-alive that gets no answer reports the session lost instead of leaving it to look open.
 */
import type { BidiConnection } from './bidi-connection.js';

/** Interval when the endpoint tells no session timeout, ms. */
export const DEFAULT_KEEP_ALIVE_MS = 30_000;
/** Bound on one keep-alive command, ms: generous, so a busy browser is not taken for a lost one. */
const KEEP_ALIVE_ANSWER_MS = 30_000;

/** The interval for an endpoint whose idle timeout is `sessionTimeoutMs` (if known): a third of it, at most 30 s. */
export function keepAliveInterval(sessionTimeoutMs: number | undefined): number {
  if (sessionTimeoutMs === undefined || !Number.isFinite(sessionTimeoutMs) || sessionTimeoutMs <= 0) return DEFAULT_KEEP_ALIVE_MS;
  return Math.max(1000, Math.min(DEFAULT_KEEP_ALIVE_MS, Math.floor(sessionTimeoutMs / 3)));
}

/**
 * Sends `browsingContext.getTree` (depth 0) every `intervalMs` while the connection is open; calls `onLost` once
 * when one gets no answer within its bound. Returns the stopper. The timer does not keep the process alive.
 */
export function startKeepAlive(
  bidi: BidiConnection,
  intervalMs: number,
  onLost: (reason: string) => void,
  answerMs = KEEP_ALIVE_ANSWER_MS,
): () => void {
  let stopped = false;
  let inFlight = false;
  const timer = setInterval(() => {
    if (stopped || inFlight || bidi.closed) return;
    inFlight = true;
    bidi
      .send('browsingContext.getTree', { maxDepth: 0 }, answerMs)
      .catch((error: unknown) => {
        const code = (error as { bidiError?: unknown }).bidiError;
        if (stopped || bidi.closed || code !== 'timeout') return;
        stopped = true;
        clearInterval(timer);
        onLost(
          `no answer to a keep-alive within ${Math.round(answerMs / 1000)} s: the endpoint ended the session or lost the browser (a Selenium Grid ends sessions idle longer than its session-timeout)`,
        );
      })
      .finally(() => {
        inFlight = false;
      });
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
