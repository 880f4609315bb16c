/** The key of one hop of a request. Pure. */

/**
 * One hop of a request (the request, or one of its redirects) by BiDi request id and redirect count:
 * `${requestId}:${redirectCount}`. A network entry's `id` is its hop key; interception keys paused hops by it too.
 */
export function hopKey(requestId: string, redirectCount: number): string {
  return `${requestId}:${redirectCount}`;
}
