/** Builders for hand-made BiDi event params, shaped like what the browsers send. */

export interface HopOptions {
  id: string;
  url: string;
  redirectCount?: number;
  method?: string;
  context?: string;
  requestHeaders?: Array<[string, string]>;
  timestamp?: number;
  timings?: Record<string, number>;
  status?: number;
  responseHeaders?: Array<[string, string]>;
  mimeType?: string;
  errorText?: string;
  extraRequest?: Record<string, unknown>;
}

function headers(list: Array<[string, string]> | undefined): unknown[] {
  return (list ?? []).map(([name, value]) => ({ name, value: { type: 'string', value } }));
}

/** Params for a `network.*` event of one hop. */
export function hopParams(options: HopOptions): Record<string, unknown> {
  const params: Record<string, unknown> = {
    context: options.context ?? 'ctx-1',
    isBlocked: false,
    navigation: null,
    redirectCount: options.redirectCount ?? 0,
    timestamp: options.timestamp ?? 1_800_000_000_000,
    request: {
      request: options.id,
      url: options.url,
      method: options.method ?? 'GET',
      headers: headers(options.requestHeaders),
      cookies: [],
      headersSize: 100,
      bodySize: 0,
      destination: '',
      initiatorType: 'fetch',
      timings: options.timings ?? { timeOrigin: 0, requestTime: options.timestamp ?? 1_800_000_000_000 },
      ...options.extraRequest,
    },
  };
  if (options.status !== undefined) {
    params['response'] = {
      url: options.url,
      protocol: 'http/1.1',
      status: options.status,
      statusText: options.status === 101 ? 'Switching Protocols' : 'OK',
      fromCache: false,
      headers: headers(options.responseHeaders),
      mimeType: options.mimeType ?? 'text/plain',
      bytesReceived: 200,
      headersSize: 150,
      bodySize: 50,
      content: { size: 0 },
    };
  }
  if (options.errorText !== undefined) params['errorText'] = options.errorText;
  return params;
}

/** Params for a `script.message` carrying one page-shim message. */
export function shimParams(
  message: Record<string, unknown>,
  options: { realm?: string; context?: string; channel?: string } = {},
): Record<string, unknown> {
  return {
    channel: options.channel ?? 'bidiscope',
    data: { type: 'string', value: JSON.stringify(message) },
    source: { realm: options.realm ?? 'realm-1', context: options.context ?? 'ctx-1' },
  };
}
