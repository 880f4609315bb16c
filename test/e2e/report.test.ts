/**
 * The waterfall report, as a person sees it, from the binary: export_report on each browser's capture of the test
 * site, then the page rendered in that same browser through bidiscope's own session (served over loopback, since
 * navigate refuses file:) — it loads nothing but itself, its rows match the capture, the filter narrows them, the
 * details are redacted — plus `bidiscope report` on the exported HAR, and a screenshot of each as a test artifact
 * (`.tmp/artifacts/report-<browser>.png`).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findExecutable } from '../../src/browser/find-executable.js';
import { SITE_SECRETS, startTestSite, type TestSite } from '../site/server.js';
import { BINARY_PATH, ensureBinary } from '../helpers/binary.js';
import { BROWSERS, REPO_ROOT, removeTestDirs, startServer, type CallOutcome, type ServerUnderTest } from '../helpers/mcp-server.js';
import { loadSitePage, waitFor } from '../helpers/site-scenario.js';

const ARTIFACTS = join(REPO_ROOT, '.tmp', 'artifacts');

let site: TestSite;
let server: ServerUnderTest;
let outputDir: string;
let files: Server;
let filesOrigin = '';
/** What the file server was asked for. */
const served: string[] = [];

before(async () => {
  ensureBinary();
  site = await startTestSite();
  outputDir = mkdtempSync(join(tmpdir(), 'bidiscope-test-out-'));
  server = await startServer({ command: { command: BINARY_PATH, args: [] }, args: ['--output-dir', outputDir] });
  files = createServer((req, res) => {
    served.push(req.url ?? '');
    const path = join(outputDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!path.startsWith(outputDir) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(path));
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await server.close();
  removeTestDirs(server);
  await new Promise<void>((resolve) => files.close(() => resolve()));
  rmSync(outputDir, { recursive: true, force: true });
  await site.close();
});

async function ok(name: string, args: Record<string, unknown> = {}): Promise<CallOutcome> {
  const outcome = await server.call(name, args);
  assert.equal(outcome.isError, false, `${name}: ${outcome.text}`);
  return outcome;
}

/** A headless screenshot of a page by the browser's own command line (for people to look at; not asserted on). */
async function screenshot(browser: 'chrome' | 'firefox', url: string, file: string): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'bidiscope-shot-'));
  try {
    const executable = findExecutable(browser === 'chrome' ? 'chrome' : 'firefox', undefined, process.env);
    const args =
      browser === 'chrome'
        ? ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${home}`, `--screenshot=${file}`, '--window-size=1400,900', url]
        : ['--headless', '--no-remote', '--profile', home, '--screenshot', file, '--window-size=1400,900', url];
    // Asynchronous: the page is served by this very process, which must keep answering meanwhile.
    await new Promise<void>((resolve) => {
      execFile(executable, args, { timeout: 60_000, env: { ...process.env, HOME: home } }, () => resolve());
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

for (const browser of BROWSERS) {
  describe(`waterfall report on ${browser}`, () => {
    let sessionId = '';
    let reportPath = '';
    let captured = 0;
    let apiRequests = 0;
    before(async () => {
      const opened = await ok('initialize_session', { browser });
      sessionId = String(opened.structured?.sessionId);
      await ok('start_network_capture', { sessionId });
      await loadSitePage(server, sessionId, site.origin);
      await ok('stop_network_capture', { sessionId });
      captured = Number((await ok('list_network_requests', { sessionId })).structured?.total);
      apiRequests = Number((await ok('list_network_requests', { sessionId, urlFilter: '/api/' })).structured?.total);
      const report = await ok('export_report', { sessionId, path: `reports/${browser}.html` });
      reportPath = String(report.structured?.path);
      assert.equal(report.structured?.requests, captured);
      await ok('export_har', { sessionId, path: `har/${browser}.har` });
    });
    after(async () => {
      await server.call('close_session', { sessionId });
    });

    test('the page loads nothing but itself and shows one row per captured request', async () => {
      served.length = 0;
      await ok('start_network_capture', { sessionId, captureBodies: 'none' });
      await ok('navigate', { sessionId, url: `${filesOrigin}/reports/${browser}.html` });
      await waitFor('the report to render', async () => {
        const ready = await server.call('evaluate_script', { sessionId, expression: "document.body.getAttribute('data-ready')" });
        return ready.structured?.result === '1' ? true : undefined;
      });
      const rows = await ok('evaluate_script', { sessionId, expression: 'window.__report.rows' });
      assert.equal(rows.structured?.result, captured);
      const drawn = await ok('evaluate_script', { sessionId, expression: "document.querySelectorAll('#rows .row').length" });
      assert.ok(Number(drawn.structured?.result) > 0 && Number(drawn.structured?.result) <= captured);
      await ok('stop_network_capture', { sessionId });
      const loaded = await ok('list_network_requests', { sessionId });
      const urls = loaded.text.split('\n').filter((line) => line.startsWith('['));
      // The report itself, and Firefox's own favicon request; nothing the page asked for.
      const others = urls.filter((line) => !line.includes(`/reports/${browser}.html`) && !line.includes('/favicon.ico'));
      assert.deepEqual(others, [], loaded.text);
      assert.deepEqual(
        served.filter((url) => url !== '/favicon.ico'),
        [`/reports/${browser}.html`],
      );
    });

    test('the filter narrows the rows, and details are redacted', async () => {
      assert.ok(apiRequests > 0 && apiRequests < captured);
      const narrowed = await ok('evaluate_script', {
        sessionId,
        expression:
          "(() => { const box = document.getElementById('filter'); box.value = '/api/'; box.dispatchEvent(new Event('input')); return window.__report.shown(); })()",
      });
      assert.equal(narrowed.structured?.result, apiRequests);
      // A status class: the rows with a 4xx answer (the site's 404 among them), as the embedded statuses count them.
      const byClass = await ok('evaluate_script', {
        sessionId,
        function: `() => {
          const box = document.getElementById('filter');
          box.value = '4xx'; box.dispatchEvent(new Event('input'));
          const rows = JSON.parse(document.getElementById('report-data').textContent).rows;
          return [window.__report.shown(), rows.filter((row) => row.e === undefined && row.s >= 400 && row.s < 500).length];
        }`,
      });
      const [shownByClass, expectedByClass] = byClass.structured?.result as [number, number];
      assert.ok(expectedByClass > 0, 'the site answers some requests with a 4xx');
      assert.equal(shownByClass, expectedByClass);
      const details = await ok('evaluate_script', {
        sessionId,
        function: `() => {
          const box = document.getElementById('filter');
          box.value = 'post /api/login'; box.dispatchEvent(new Event('input'));
          document.querySelector('#rows .row').click();
          return document.getElementById('details').textContent;
        }`,
      });
      const text = String(details.structured?.result);
      assert.match(text, /\/api\/login/);
      assert.match(text, /<redacted>/);
      for (const secret of Object.values(SITE_SECRETS)) assert.ok(!text.includes(secret), `details show ${secret.slice(0, 6)}…`);
      assert.ok(!readFileSync(reportPath, 'utf8').includes(SITE_SECRETS.password));
      const shot = join(ARTIFACTS, `report-${browser}.png`);
      await screenshot(browser, `${filesOrigin}/reports/${browser}.html#r=2`, shot);
      assert.ok(existsSync(shot) && statSync(shot).size > 10_000, `screenshot ${shot} written`);
    });

    test('`bidiscope report` turns the exported HAR into the same page; a file that is not HAR exits 2', () => {
      const har = join(outputDir, 'har', `${browser}.har`);
      const out = join(outputDir, 'reports', `${browser}-cli.html`);
      const made = spawnSync(BINARY_PATH, ['report', har, '-o', out], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(made.status, 0, made.stderr);
      assert.match(made.stdout, new RegExp(`${captured} requests, redacted`));
      const page = readFileSync(out, 'utf8');
      const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}') as {
        rows: unknown[];
      };
      assert.equal(data.rows.length, captured);
      const bad = spawnSync(BINARY_PATH, ['report', join(REPO_ROOT, 'package.json')], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /not a HAR 1\.2 file: log: missing/);
    });
  });
}
