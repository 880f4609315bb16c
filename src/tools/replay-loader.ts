/** Reads a HAR for replay_har under the export_har path policy, with Playwright side files. */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { HarReadError, parseHar, type ParsedHar } from '../intercept/har-reader.js';
import { buildReplay } from '../intercept/replay.js';
import type { ReplaySource } from '../intercept/replay-source.js';
import { ToolError } from '../mcp/tool.js';
import { OutputWriteError, resolveInside } from '../output/files.js';
import type { AppContext } from './context.js';

/** Largest HAR (and side file) replay_har reads. */
const MAX_HAR_BYTES = 512 * 1024 * 1024;

function inside(context: AppContext, path: string, field: string): string {
  try {
    return resolveInside(context.config.outputDir, path, context.config.allowAbsolutePaths);
  } catch (error) {
    if (error instanceof OutputWriteError) throw new ToolError(`Invalid "${field}": ${error.message}`);
    throw error;
  }
}

async function readBounded(file: string, field: string): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ToolError(`Invalid "${field}": ${file} is not a file.`);
    if (info.size > MAX_HAR_BYTES)
      throw new ToolError(`Invalid "${field}": ${file} is ${info.size} bytes; at most ${MAX_HAR_BYTES} are read.`);
    return await readFile(file);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ToolError(`Invalid "${field}": cannot read ${file} (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}).`);
  }
}

/** A loaded HAR and the replay built from it. */
export interface LoadedReplay {
  file: string;
  parsed: ParsedHar;
  source: ReplaySource;
}

/** Reads, parses and indexes a HAR; every failure is a ToolError naming `path`. */
export async function loadReplay(
  context: AppContext,
  path: string,
  options: { notFound: 'abort' | 'passthrough'; matchBody: boolean },
): Promise<LoadedReplay> {
  const file = inside(context, path, 'path');
  const text = (await readBounded(file, 'path')).toString('utf8');
  let parsed: ParsedHar;
  try {
    parsed = parseHar(text);
  } catch (error) {
    if (error instanceof HarReadError) throw new ToolError(`Invalid "path": ${file} is ${error.message}.`);
    throw error;
  }
  const files = new Map<string, string>();
  for (const entry of parsed.entries) {
    if (!entry.body || !('file' in entry.body) || files.has(entry.body.file)) continue;
    const side = inside(context, resolve(dirname(file), entry.body.file), 'path');
    files.set(entry.body.file, (await readBounded(side, 'path')).toString('base64'));
  }
  const source = buildReplay(parsed.entries, { label: basename(file), notFound: options.notFound, matchBody: options.matchBody, files });
  return { file, parsed, source };
}
