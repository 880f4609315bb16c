/**
 * The size budget of `tools/list`, held by test/unit/mcp/tool-schemas.test.ts and reported by the bench: the core
 * tools (session, page, capture and inspection) under 16 KB, all tools under 30 KB (chrome-devtools-mcp: 28.6 KB).
 */

/** The tools the 16 KB budget was set for (9.6 KB before descriptions). */
export const CORE_TOOLS: ReadonlySet<string> = new Set([
  'initialize_session',
  'close_session',
  'list_sessions',
  'navigate',
  'evaluate_script',
  'start_network_capture',
  'get_network_capture_status',
  'stop_network_capture',
  'clear_network_capture',
  'list_network_requests',
  'get_request_details',
  'confirm_output',
  'export_har',
]);

/** Bytes of `{tools: [...]}` as compact JSON, core tools only. */
export const CORE_TOOLS_LIST_MAX_BYTES = 16 * 1024;

/** Bytes of the whole `tools/list` result as compact JSON. */
export const TOOLS_LIST_MAX_BYTES = 30 * 1024;

/** Compact-JSON size of a `{tools}` listing, and of its core tools alone. */
export function toolsListBytes(tools: ReadonlyArray<{ name: string }>): { all: number; core: number } {
  return {
    all: Buffer.byteLength(JSON.stringify({ tools })),
    core: Buffer.byteLength(JSON.stringify({ tools: tools.filter((tool) => CORE_TOOLS.has(tool.name)) })),
  };
}
