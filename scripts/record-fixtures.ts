/**
 * Records fresh BiDi event fixtures from the local test site in Chromium and Firefox, in the format of
 * test/fixtures/bidi/*.events.json ([{t, name, p}]), so normalization tests can be refreshed when browsers change:
 *   npx tsx scripts/record-fixtures.ts [--out DIR] [--timed]
 * It subscribes to the network events and installs the page shim exactly as a capture does (channel `bidiscope`,
 * WebSocket and EventSource wrappers, and on Chromium the Resource Timing `rt` reports), and fails when a page step
 * did not behave (the recording would be incomplete). `--timed` records
 * `<browser>-<major>-timed.events.json` instead: `/timed?ttfb&body` requests on the test web's HTTP/1.1 and
 * HTTPS + HTTP/2 origins, with `t` = arrival time to the sub-millisecond (the Chromium end-of-body estimate uses it).
 */
import '../src/quiet-dependencies.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChrome } from '../src/browser/chrome.js';
import { launchFirefox } from '../src/browser/firefox.js';
import { pageShimPreloadParams } from '../src/capture/page-shim.js';
import { SHIM_CHANNEL } from '../src/model/shim/messages.js';
import { startTestSite } from '../test/site/server.js';
import { startTestWeb, type TestWeb } from '../test/site/web.js';

const outIndex = process.argv.indexOf('--out');
const outDir = resolve(outIndex > 0 ? (process.argv[outIndex + 1] ?? '.') : join(import.meta.dirname, '..', 'test', 'fixtures', 'bidi'));
const EVENTS = [
  'network.beforeRequestSent',
  'network.responseStarted',
  'network.responseCompleted',
  'network.fetchError',
  'script.message',
];

async function record(browser: 'chrome' | 'firefox', origin: string): Promise<void> {
  const launched = await (browser === 'chrome' ? launchChrome : launchFirefox)({ browser, headless: true });
  try {
    const events: Array<{ t: number; name: string; p: unknown }> = [];
    for (const name of EVENTS) launched.bidi.on(name, (p) => events.push({ t: Date.now(), name, p }));
    // The same shim as src/capture/recorder.ts installs: Resource Timing only where BiDi lacks the end of body.
    const shim = pageShimPreloadParams(SHIM_CHANNEL, { webSockets: true, eventSources: true, resourceTiming: browser === 'chrome' });
    await launched.bidi.send('script.addPreloadScript', shim);
    await launched.bidi.send('session.subscribe', { events: EVENTS });
    const tree = await launched.bidi.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', {});
    const context = tree.contexts[0]?.context ?? '';
    await launched.bidi.send('browsingContext.navigate', { context, url: `${origin}/`, wait: 'complete' });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const done = await launched.bidi.send<{ result?: { value?: unknown } }>('script.evaluate', {
        expression: 'window.__siteDone === true',
        target: { context },
        awaitPromise: false,
      });
      if (done.result?.value === true) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
    const results = await launched.bidi.send<{ result?: { value?: unknown } }>('script.evaluate', {
      expression: 'JSON.stringify(window.__siteDone === true ? window.__siteResults : null)',
      target: { context },
      awaitPromise: false,
    });
    const steps = JSON.parse(String(results.result?.value ?? 'null')) as Array<{ step: string; ok: boolean; detail: string }> | null;
    const failed =
      steps === null
        ? ['the page did not finish within 30 s']
        : steps.filter((step) => !step.ok).map((step) => `${step.step}: ${step.detail}`);
    if (failed.length > 0) throw new Error(`${browser}: incomplete recording (${failed.join('; ')})`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 500)); // trailing shim messages
    const major = launched.identity.version.split('.')[0] ?? 'x';
    const name = `${browser === 'chrome' ? 'chromium' : 'firefox'}-${major}-index-page.events.json`;
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, name), JSON.stringify(events));
    process.stdout.write(`${name}: ${events.length} events\n`);
  } finally {
    await launched.close();
  }
}

/** The `/timed` cases of the timed fixture, [ttfb, body] ms. */
const TIMED_CASES: Array<[number, number, string?]> = [
  [300, 0],
  [0, 300],
  [200, 200],
  [0, 0],
];

async function recordTimed(browser: 'chrome' | 'firefox', web: TestWeb): Promise<void> {
  const launched = await (browser === 'chrome' ? launchChrome : launchFirefox)({ browser, headless: true, acceptInsecureCerts: true });
  try {
    const events: Array<{ t: number; name: string; p: unknown }> = [];
    const network = EVENTS.filter((name) => name.startsWith('network.'));
    for (const name of network) launched.bidi.on(name, (p) => events.push({ t: performance.timeOrigin + performance.now(), name, p }));
    await launched.bidi.send('session.subscribe', { events: network });
    const tree = await launched.bidi.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', {});
    const context = tree.contexts[0]?.context ?? '';
    for (const origin of [web.http.origin, web.https.origin]) {
      await launched.bidi.send('browsingContext.navigate', { context, url: `${origin}/blank`, wait: 'complete' });
      // A warm-up request first: a fresh browser's first requests are slow to report (measured: +90 ms).
      const urls = [[0, 0, 'warmup'], ...TIMED_CASES].map(
        ([ttfb, body, tag]) => `/timed?ttfb=${ttfb}&body=${body}&id=${browser}-${origin.slice(0, 5)}-${tag ?? `${ttfb}-${body}`}`,
      );
      await launched.bidi.send(
        'script.callFunction',
        {
          functionDeclaration: 'async (urls) => { for (const url of urls) { const r = await fetch(url); await r.arrayBuffer(); } }',
          arguments: [{ type: 'array', value: urls.map((url) => ({ type: 'string', value: url })) }],
          target: { context },
          awaitPromise: true,
        },
        60_000,
      );
      await new Promise((resolveWait) => setTimeout(resolveWait, 300)); // trailing events
    }
    const major = launched.identity.version.split('.')[0] ?? 'x';
    const name = `${browser === 'chrome' ? 'chromium' : 'firefox'}-${major}-timed.events.json`;
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, name), JSON.stringify(events.filter((event) => JSON.stringify(event.p).includes('/timed?'))));
    process.stdout.write(`${name}: ${events.length} events\n`);
  } finally {
    await launched.close();
  }
}

if (process.argv.includes('--timed')) {
  const web = await startTestWeb();
  try {
    await recordTimed('chrome', web);
    await recordTimed('firefox', web);
  } finally {
    await web.close();
  }
} else {
  const site = await startTestSite();
  try {
    await record('chrome', site.origin);
    await record('firefox', site.origin);
  } finally {
    await site.close();
  }
}
