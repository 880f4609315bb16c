import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ToolError, type AnyTool, type CallExtras } from './tool.js';
import { validateInput } from './validate.js';

/** Name and version announced to MCP clients. */
export interface ServerIdentity {
  name: string;
  version: string;
  instructions?: string;
}

/** A valibot schema as JSON Schema for `tools/list`, without the `$schema` line every schema would repeat. */
function jsonSchemaOf(schema: v.GenericSchema): Record<string, unknown> {
  const json = toJsonSchema(schema, { errorMode: 'ignore' }) as Record<string, unknown>;
  delete json.$schema;
  return { type: 'object', ...json };
}

/** How a tool appears in `tools/list`. */
export function toolListing<Context>(tool: AnyTool<Context>): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(tool.input) as Tool['inputSchema'],
    ...(tool.output ? { outputSchema: jsonSchemaOf(tool.output) as Tool['outputSchema'] } : {}),
    ...(tool.annotations ? { annotations: tool.annotations } : {}),
  };
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Log line to stderr (stdout belongs to the protocol). */
export function logToStderr(message: string): void {
  process.stderr.write(`bidiscope: ${message}\n`);
}

/**
 * Builds the low-level MCP server: tools registered from one list, input validated with valibot, every handler
 * failure turned into an `isError` result (never a protocol error), text plus structured content.
 */
export function createMcpServer<Context>(identity: ServerIdentity, tools: ReadonlyArray<AnyTool<Context>>, context: Context): Server {
  const server = new Server(
    { name: identity.name, version: identity.version },
    { capabilities: { tools: {} }, ...(identity.instructions ? { instructions: identity.instructions } : {}) },
  );
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const listing = tools.map(toolListing);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listing }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      return errorResult(`Unknown tool "${request.params.name}". Available: ${[...byName.keys()].join(', ')}.`);
    }
    const parsed = validateInput(tool.input, request.params.arguments, tool.name);
    if (!parsed.ok) return errorResult(parsed.message);
    const progressToken = request.params._meta?.progressToken;
    let progressCount = 0;
    const extras: CallExtras = {
      signal: extra.signal,
      async progress(message, progress, total) {
        if (progressToken === undefined) return;
        progressCount += 1;
        try {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: progress ?? progressCount, ...(total !== undefined ? { total } : {}), message },
          });
        } catch {
          // the client went away; the call itself will notice
        }
      },
    };
    try {
      const reply = await tool.handler(parsed.value, context, extras);
      return {
        content: [{ type: 'text', text: reply.text }],
        ...(reply.structured ? { structuredContent: reply.structured } : {}),
      };
    } catch (error) {
      if (error instanceof ToolError) return errorResult(error.message);
      const message = error instanceof Error ? error.message : String(error);
      logToStderr(`${tool.name} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      return errorResult(`${tool.name} failed: ${message}`);
    }
  });
  return server;
}
