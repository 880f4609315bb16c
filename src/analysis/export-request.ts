/**
 * A captured request as a command that sends it again: `curl` (POSIX shell) or `fetch` (JavaScript). Pure; the entry
 * is already redacted, so secrets appear as `<redacted>` placeholders unless the session exposes them.
 */
import { bodyMimeType, bodyText } from '../model/body-kind.js';
import { bytesToBase64, encodeUtf8 } from '../lib/bytes.js';
import { dedupeHeaders, sameHeaderName } from '../model/headers.js';
import type { Header, NetworkEntry } from '../model/types.js';

/** Headers the sending tool sets itself, and HTTP/2 pseudo-headers. */
const SKIPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade']);

/** The request body to send: text, or bytes a command cannot carry inline (`binary` — written to a file). */
export type RequestPayload = { kind: 'none' } | { kind: 'text'; text: string } | { kind: 'binary'; base64: string };

/** What the command needs of the request body. */
export function requestPayload(entry: NetworkEntry): RequestPayload {
  const body = entry.request.body;
  if (body?.state !== 'available' || body.data === undefined) return { kind: 'none' };
  const text = bodyText(body, bodyMimeType(entry, 'request'));
  // A NUL cannot travel in a shell argument; such text goes by file like binary data.
  if (text !== undefined && !text.includes('\0')) return { kind: 'text', text };
  if (body.encoding === 'base64') return { kind: 'binary', base64: body.data };
  return { kind: 'binary', base64: bytesToBase64(encodeUtf8(body.data)) };
}

/** POSIX shell single-quoting: survives any byte but NUL (quotes, newlines, `$`, backslashes, non-ASCII). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The request headers a command sends: those the tool does not set itself, each exact duplicate once. */
function sentHeaders(entry: NetworkEntry): Header[] {
  const sendable = entry.request.headers.filter((header) => {
    const name = header.name.toLowerCase();
    return !SKIPPED_HEADERS.has(name) && !name.startsWith(':');
  });
  return dedupeHeaders(sendable).headers;
}

/** Notes that go with every exported command. */
function caveats(entry: NetworkEntry, payload: RequestPayload, exposed: boolean): string[] {
  const notes: string[] = [];
  if (!exposed && JSON.stringify(entry.request).includes('<redacted>'))
    notes.push('secrets are <redacted> placeholders: put the real values in before running it');
  if (entry.request.body?.truncated) notes.push('the captured body was cut at maxBodyBytes: the command sends only its start');
  if (entry.request.body && entry.request.body.state !== 'available' && payload.kind === 'none') {
    notes.push(
      `the request body was not captured (${entry.request.body.state}${entry.request.body.reason ? `: ${entry.request.body.reason}` : ''})`,
    );
  }
  return notes;
}

/** A curl command line; a binary body is read from `bodyFile` (which the caller writes next to it). */
export function curlCommand(entry: NetworkEntry, bodyFile: string | undefined, exposed: boolean): { command: string; notes: string[] } {
  const payload = requestPayload(entry);
  const parts = ['curl', '--silent', '--show-error', '--include'];
  if (entry.method !== 'GET' || payload.kind !== 'none') parts.push('--request', shellQuote(entry.method));
  for (const header of sentHeaders(entry)) {
    if (sameHeaderName(header.name, 'accept-encoding')) parts.push('--compressed');
    else parts.push('--header', shellQuote(`${header.name}: ${header.value}`));
  }
  if (payload.kind === 'text') parts.push('--data-binary', shellQuote(payload.text));
  else if (payload.kind === 'binary') parts.push('--data-binary', shellQuote(`@${bodyFile ?? 'request-body.bin'}`));
  parts.push('--', shellQuote(entry.url));
  return { command: parts.join(' '), notes: caveats(entry, payload, exposed) };
}

/** A `fetch` call (runs in a page of the same origin, Node 18+, Deno or Bun); binary bodies inline as base64. */
export function fetchCommand(entry: NetworkEntry, exposed: boolean): { command: string; notes: string[] } {
  const payload = requestPayload(entry);
  const headers: Record<string, string> = {};
  for (const header of sentHeaders(entry)) headers[header.name] = header.value;
  const init: string[] = [
    `  method: ${JSON.stringify(entry.method)},`,
    `  headers: ${JSON.stringify(headers, null, 2).replace(/\n/g, '\n  ')},`,
  ];
  if (payload.kind === 'text') init.push(`  body: ${JSON.stringify(payload.text)},`);
  else if (payload.kind === 'binary')
    init.push(`  body: Uint8Array.from(atob(${JSON.stringify(payload.base64)}), (c) => c.charCodeAt(0)),`);
  const command = `await fetch(${JSON.stringify(entry.url)}, {\n${init.join('\n')}\n});`;
  const notes = caveats(entry, payload, exposed);
  notes.push('browsers refuse to set some headers from fetch (cookie, user-agent, sec-*); run it where that matters (Node, Deno, Bun)');
  return { command, notes };
}
