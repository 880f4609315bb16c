/**
 * Chromium's BiDi mapper, with fast redirects, sometimes gives a hop of a redirect chain a neighbouring hop's answer
 * (measured: a hop whose status is 200 while it carries the 302's `Location` to the next hop; a hop whose 302 points
 * at the hop's own URL or back at an earlier hop: an earlier hop's answer). The model cannot know the true answer then,
 * so it keeps what the browser sent and says so. Pure.
 */
import { isRedirectStatus } from '../http.js';

/** What is known about one hop of a chain when its answer arrives or a neighbour appears. */
export interface HopAnswerFacts {
  url: string;
  status: number;
  /** The answer's `Location` header, if any. */
  location: string | undefined;
  /** The URLs of the earlier hops of the chain, nearest first (empty for the first hop). */
  earlierUrls: readonly string[];
  /** The next hop's URL, once its request is known. */
  nextUrl: string | undefined;
}

/** The note an entry gets when its answer cannot be its own. */
export const ANSWER_FROM_ANOTHER_HOP_NOTE =
  "Chromium's BiDi mapper gave this redirect hop another hop's response (a race with fast redirects): its status and headers may belong to a neighbouring hop";

/**
 * A URL, or a `Location` resolved against its hop's URL, without its fragment (the request that follows never carries
 * one); undefined when it does not parse.
 */
export function withoutFragment(url: string, base?: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}

/**
 * True when the answer cannot be this hop's: an answer that is not a redirect but carries a `Location` leading to the
 * next hop; a redirect whose `Location` is not where the next hop went; or, on the last hop, a redirect pointing at the
 * hop itself or back at an earlier hop of the chain (unless every hop has the same URL: a redirect loop).
 */
export function isAnswerFromAnotherHop(hop: HopAnswerFacts): boolean {
  if (hop.location === undefined) return false;
  const target = withoutFragment(hop.location, hop.url);
  if (target === undefined) return false;
  const own = withoutFragment(hop.url);
  const next = hop.nextUrl === undefined ? undefined : withoutFragment(hop.nextUrl);
  const earlier = hop.earlierUrls.map((url) => withoutFragment(url));
  if (!isRedirectStatus(hop.status)) return next !== undefined && target === next;
  if (next !== undefined) return target !== next;
  if (earlier.length === 0 || earlier.every((url) => url === own)) return false;
  return target === own || earlier.includes(target);
}
