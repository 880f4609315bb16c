/**
 * The main job, end to end: the bidiscope binary (or the source, with --source) captures the bundled demo site in
 * Chromium and in Firefox, driven by the real MCP SDK client over stdio, and prints what happened.
 * Run through `bash scripts/demo.sh`, which sets the machine up and builds the binary first.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startTestSite } from '../test/site/server.js';

const root = resolve(import.meta.dirname, '..');
const useSource = process.argv.includes('--source');
const binary = join(root, 'dist', 'bidiscope');
const outputDir = resolve(process.env.BIDISCOPE_DEMO_OUTPUT ?? join(root, 'demo-output'));

interface Outcome {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

function show(title: string, text: string, maxLines = 24): void {
  const lines = text.split('\n');
  const shown = lines.slice(0, maxLines).map((line) => `    ${line}`);
  if (lines.length > maxLines) shown.push(`    … ${lines.length - maxLines} more lines`);
  process.stdout.write(`\n▶ ${title}\n${shown.join('\n')}\n`);
}

async function main(): Promise<void> {
  if (!useSource && !existsSync(binary)) throw new Error(`${binary} not found: run "npm run build:bin" (or pass --source)`);
  const site = await startTestSite();
  const tempRoot = mkdtempSync(join(tmpdir(), 'bidiscope-demo-'));
  const command = useSource ? process.execPath : binary;
  const args = useSource ? ['--import', 'tsx', join(root, 'src', 'main.ts')] : [];
  const env: Record<string, string> = { TMPDIR: tempRoot };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !(key in env)) env[key] = value;
  const transport = new StdioClientTransport({ command, args: [...args, '--output-dir', outputDir], env, stderr: 'ignore', cwd: root });
  const client = new Client({ name: 'bidiscope-demo', version: '1.0.0' });
  await client.connect(transport);
  const call = async (name: string, input: Record<string, unknown> = {}): Promise<Outcome> => {
    const result = await client.callTool({ name, arguments: input }, undefined, { timeout: 120_000 });
    const content = (result.content ?? []) as Array<{ text?: string }>;
    const outcome = {
      text: content.map((item) => item.text ?? '').join('\n'),
      isError: result.isError === true,
      structured: result.structuredContent as Record<string, unknown> | undefined,
    };
    if (outcome.isError) throw new Error(`${name} failed: ${outcome.text}`);
    return outcome;
  };
  const firstIndex = async (sessionId: string, urlFilter: string): Promise<number> => {
    const listed = await call('list_network_requests', { sessionId, urlFilter, limit: 1 });
    return (listed.structured?.indexes as number[])[0] ?? 0;
  };
  process.stdout.write(`bidiscope demo: ${useSource ? 'source (tsx)' : binary} · demo site ${site.origin} · output ${outputDir}\n`);
  try {
    for (const browser of ['chrome', 'firefox'] as const) {
      process.stdout.write(`\n━━━ ${browser} ━━━\n`);
      const opened = await call('initialize_session', { browser });
      show('initialize_session', opened.text);
      const sessionId = String(opened.structured?.sessionId);
      await call('start_network_capture', { sessionId, captureBodies: 'all' });
      await call('navigate', { sessionId, url: `${site.origin}/` });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const status = await call('get_network_capture_status', { sessionId });
        const stats = status.structured?.currentStats as Record<string, number>;
        const done = await call('evaluate_script', { sessionId, expression: 'window.__siteDone === true' });
        if (done.structured?.result === true && (stats.wsFrames ?? 0) >= 6) break;
        await new Promise((resolveWait) => setTimeout(resolveWait, 200));
      }
      show('get_network_capture_status', (await call('get_network_capture_status', { sessionId })).text);
      show('list_network_requests', (await call('list_network_requests', { sessionId })).text);
      show('list_network_requests {failedOnly: true}', (await call('list_network_requests', { sessionId, failedOnly: true })).text);
      show(
        'get_request_details (the login POST; secrets redacted)',
        (await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/api/login') })).text,
        40,
      );
      show(
        'get_request_details (the WebSocket)',
        (await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/ws') })).text,
        20,
      );
      const large = await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/large') });
      const token = large.structured?.confirmToken;
      if (typeof token === 'string') show('confirm_output (the 3 MB body)', (await call('confirm_output', { token })).text);
      show('export_har', (await call('export_har', { sessionId })).text);
      show('stop_network_capture', (await call('stop_network_capture', { sessionId })).text, 3);
      show('close_session', (await call('close_session', { sessionId })).text);
    }
    process.stdout.write(`\nDemo complete: both browsers captured, inspected and exported. Files are in ${outputDir}.\n`);
  } finally {
    await client.close();
    await site.close();
    rmSync(tempRoot, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
