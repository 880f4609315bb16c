/** HTTP facts the model and every output share. Pure. */

/** Methods whose requests carry no body by definition, so a missing body there is not "unknown". */
export const METHODS_WITHOUT_BODY: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for a redirect: a 3xx the browser follows to its `Location`. 304 Not Modified is not one (it has none). */
export function isRedirectStatus(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/**
 * True for a response status that never has a body (RFC 9110 §6.4.1, §15): every 1xx (101 Switching Protocols
 * included), 204 No Content, 205 Reset Content and 304 Not Modified. A missing body there is not "unavailable".
 * The one exception in practice: the body fetcher still asks for a 304's body, because both browsers answer with the
 * cached copy the page got (docs/parity.md).
 */
export function responseHasNoBody(status: number): boolean {
  return (status >= 100 && status < 200) || status === 204 || status === 205 || status === 304;
}
