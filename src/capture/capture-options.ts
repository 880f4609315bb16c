import type { ResourceType } from '../model/types.js';
import type { UrlFilter } from '../model/url-filter.js';

/** How a capture records; validated and defaulted by the start_network_capture tool. */
export interface CaptureOptions {
  urlFilter?: UrlFilter;
  resourceTypes?: readonly ResourceType[];
  /** Upper-case HTTP methods. */
  methods?: readonly string[];
  captureBodies: 'none' | 'text' | 'all';
  /** Per body; longer bodies are kept truncated. */
  maxBodyBytes: number;
  /** All bodies of one capture together; beyond it bodies are not kept (counted). */
  maxTotalBodyBytes: number;
  captureWebSockets: boolean;
  captureStreaming: boolean;
  maxEntries: number;
}

/** Defaults for options the caller leaves out. */
export const CAPTURE_DEFAULTS = {
  captureBodies: 'text',
  maxBodyBytes: 10 * 1024 * 1024,
  maxTotalBodyBytes: 256 * 1024 * 1024,
  captureWebSockets: true,
  captureStreaming: true,
  maxEntries: 50_000,
} as const;

/** The options as plain JSON, for status and stop results. */
export function describeCaptureOptions(options: CaptureOptions): Record<string, unknown> {
  return {
    ...(options.urlFilter ? { urlFilter: options.urlFilter.source } : {}),
    ...(options.resourceTypes ? { resourceTypes: [...options.resourceTypes] } : {}),
    ...(options.methods ? { methods: [...options.methods] } : {}),
    captureBodies: options.captureBodies,
    maxBodyBytes: options.maxBodyBytes,
    maxTotalBodyBytes: options.maxTotalBodyBytes,
    captureWebSockets: options.captureWebSockets,
    captureStreaming: options.captureStreaming,
    maxEntries: options.maxEntries,
  };
}
