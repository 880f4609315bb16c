/**
 * `npm run bench:report` (also run by `npm run bench`): size of the HTML waterfall report and its time to first
 * paint and to a drawn waterfall in Chromium (through a bidiscope session), for 1k and 10k entries built from the
 * recorded fixtures. Measurements, not tests. Prints a Markdown table.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHar } from '../src/har/index.js';
import { redactEntry } from '../src/redact/index.js';
import { renderReport } from '../src/report/index.js';
import { openSession } from './bench/page-run.js';
import { startBenchServer } from './bench/server.js';
import { median } from './bench/stats.js';
import { syntheticLog } from './bench/synthetic.js';

const SIZES = [1_000, 10_000];
const ROUNDS = 3;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bidiscope-bench-report-'));
  const files = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1).replace(/[^a-z0-9.-]/gi, '');
    try {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(join(dir, name)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  const server = await startBenchServer();
  const rows: string[] = [];
  try {
    const { sessionId } = await openSession(server, 'chrome');
    for (const size of SIZES) {
      const entries = syntheticLog(size).entries().slice(0, size).map(redactEntry);
      const renderStart = performance.now();
      const har = buildHar(entries, { creatorVersion: 'bench', browser: { name: 'chromium', version: '?' }, includeBodies: true });
      const html = renderReport(har, `${size} entries`);
      const renderMs = performance.now() - renderStart;
      writeFileSync(join(dir, `r${size}.html`), html);
      const paints: number[] = [];
      const ready: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        await server.must('navigate', { sessionId, url: 'about:blank' });
        await server.must('navigate', { sessionId, url: `${origin}/r${size}.html` }, 120_000);
        const timing = await server.must('evaluate_script', {
          sessionId,
          expression:
            "({ paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1, ready: window.__report?.readyAt ?? -1 })",
        });
        const result = timing.structured?.result as { paint: number; ready: number };
        paints.push(result.paint);
        ready.push(result.ready);
      }
      const bytes = Buffer.byteLength(html);
      rows.push(
        `| ${size.toLocaleString('en-US')} | ${(bytes / 1024 / 1024).toFixed(2)} MB | ${Math.round(renderMs)} ms | ${Math.round(median(paints))} ms | ${Math.round(median(ready))} ms |`,
      );
      process.stderr.write(`report ${size}: ${bytes} bytes, paint ${median(paints)} ms\n`);
    }
    await server.must('close_session', { sessionId }, 60_000);
  } finally {
    await server.close();
    await new Promise<void>((resolve) => files.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `${[
      '| entries | report size (target ≤ 2 MB at 10k) | built in the server | first contentful paint, Chromium (target ≤ 2 s) | waterfall drawn |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n')}\n`,
  );
}

await main();
