import type * as v from 'valibot';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/** What a handler returns: compact text for the model, and the same facts as JSON. */
export interface ToolReply {
  text: string;
  structured?: Record<string, unknown>;
}

/** Per-call helpers a handler may use. */
export interface CallExtras {
  /** Aborted when the client cancels the call or disconnects. */
  signal: AbortSignal;
  /** Sends a progress notification when the client asked for them; a no-op otherwise. */
  progress(message: string, progress?: number, total?: number): Promise<void>;
}

/** A failure the caller can act on: shown as-is in an `isError` result. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** One MCP tool: valibot input schema, description an agent can act on, annotations, handler. */
export interface ToolDefinition<Schema extends v.GenericSchema, Context> {
  name: string;
  title: string;
  description: string;
  input: Schema;
  /**
   * Shape of `structuredContent` (valibot; published as the tool's JSON `outputSchema`). Declare the fields a
   * client may rely on; extra fields are allowed.
   */
  output?: v.GenericSchema;
  annotations?: ToolAnnotations;
  handler(input: v.InferOutput<Schema>, context: Context, extras: CallExtras): Promise<ToolReply>;
}

/** A tool with its schema type erased, for registries. */
export interface AnyTool<Context> {
  name: string;
  title: string;
  description: string;
  input: v.GenericSchema;
  output?: v.GenericSchema;
  annotations?: ToolAnnotations;
  handler(input: unknown, context: Context, extras: CallExtras): Promise<ToolReply>;
}

/** Declares a tool; keeps the handler's input typed by its schema. */
export function defineTool<Schema extends v.GenericSchema, Context>(definition: ToolDefinition<Schema, Context>): AnyTool<Context> {
  return definition as unknown as AnyTool<Context>;
}
