import type { BodyRecord, NetworkEntry } from '../model/types.js';

function bodyWithoutData(body: BodyRecord | undefined): BodyRecord | undefined {
  if (body === undefined || body.data === undefined) return body;
  const { data: _data, ...rest } = body;
  return rest;
}

/**
 * The entry without body bytes (state, size, reason kept). stop_network_capture's data shows no body bytes, so
 * redacting (and deep-copying) every body of a capture — hundreds of MB at worst — before building it was wasted work.
 */
export function withoutBodyData(entry: NetworkEntry): NetworkEntry {
  const request = { ...entry.request, body: bodyWithoutData(entry.request.body) };
  const response = entry.response ? { ...entry.response, body: bodyWithoutData(entry.response.body) } : undefined;
  // A one-off copy no log owns: without a revision, redactedForSession redacts it without caching it.
  const { revision: _revision, ...rest } = entry;
  return { ...rest, request, ...(response ? { response } : {}) };
}

/** One request in stop_network_capture's data. */
function requestRecord(entry: NetworkEntry): Record<string, unknown> {
  return {
    index: entry.index,
    method: entry.method,
    url: entry.url,
    resourceType: entry.resourceType,
    startedAt: new Date(entry.startedAt).toISOString(),
    state: entry.state,
    headers: entry.request.headers,
    ...(entry.request.body ? { bodyState: entry.request.body.state, bodySize: entry.request.body.size } : {}),
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.redirect ? { redirect: entry.redirect } : {}),
    ...(entry.shapedBy !== undefined ? { shapedBy: entry.shapedBy } : {}),
  };
}

function responseRecord(entry: NetworkEntry): Record<string, unknown> | undefined {
  const response = entry.response;
  if (!response) return undefined;
  return {
    index: entry.index,
    url: entry.url,
    status: response.status,
    statusText: response.statusText,
    mimeType: response.mimeType,
    fromCache: response.fromCache,
    encodedBodySize: response.encodedBodySize,
    decodedBodySize: response.decodedBodySize,
    headers: response.headers,
    durationMs: entry.timings.total,
    ...(entry.estimatedTimings?.includes('total') === true ? { durationEstimated: true } : {}),
    bodyState: response.body?.state,
  };
}

/** The `data` part of stop_network_capture: requests, responses, WebSocket frames, streaming responses. */
export function captureData(entries: readonly NetworkEntry[]): Record<string, unknown[]> {
  const requests: unknown[] = [];
  const responses: unknown[] = [];
  const wsFrames: unknown[] = [];
  const streamingResponses: unknown[] = [];
  for (const entry of entries) {
    requests.push(requestRecord(entry));
    const response = responseRecord(entry);
    if (response) responses.push(response);
    for (const frame of entry.webSocket?.frames ?? []) wsFrames.push({ index: entry.index, url: entry.url, ...frame });
    if (entry.stream)
      streamingResponses.push({ index: entry.index, url: entry.url, events: entry.stream.events, error: entry.stream.error });
  }
  return { requests, responses, wsFrames, streamingResponses };
}
