/** What the shaper asks of a loaded HAR replay (built by `replay.ts`). */
import type { OriginPattern } from './rules.js';

/** A response to serve in place of the network. */
export interface ServedResponse {
  /** 0: the recorded request failed; it is replayed as a network error. */
  status: number;
  statusText: string;
  headers: Array<{ name: string; value: string }>;
  body?: { type: 'string' | 'base64'; value: string };
}

/** A request as the replay matches it. */
export interface ReplayRequest {
  method: string;
  url: string;
  /** The request body as text, when the browser reported it. */
  body?: string;
}

/** A loaded replay: answers requests in recorded order. */
export interface ReplaySource {
  /** File name, for notes (`replayed from <label>`). */
  label: string;
  notFound: 'abort' | 'passthrough';
  /** Origins present in the HAR (with `passthrough`, only these need intercepting). */
  origins: OriginPattern[];
  /** The next recorded answer for this request, or undefined when the HAR has none. */
  answer(request: ReplayRequest): ServedResponse | undefined;
  /** How many requests were served, and how many matched no entry. */
  readonly counts: { served: number; unmatched: number };
}
