/**
 * Records fresh BiDi event fixtures from the local test site in Chromium and Firefox, in the format of
 * test/fixtures/bidi/*.events.json ([{t, name, p}]), so normalization tests can be refreshed when browsers change:
 *   npx tsx scripts/record-fixtures.ts [--out DIR]
 * It subscribes to the network events and the page shim's channel exactly as a capture does.
 */
import '../src/quiet-dependencies.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChrome } from '../src/browser/chrome.js';
import { launchFirefox } from '../src/browser/firefox.js';
import { pageShimPreloadParams } from '../src/capture/page-shim.js';
import { startTestSite } from '../test/site/server.js';

const outIndex = process.argv.indexOf('--out');
const outDir = resolve(outIndex > 0 ? (process.argv[outIndex + 1] ?? '.') : join(import.meta.dirname, '..', 'test', 'fixtures', 'bidi'));
const EVENTS = ['network.beforeRequestSent', 'network.responseStarted', 'network.responseCompleted', 'network.fetchError', 'script.message'];

async function record(browser: 'chrome' | 'firefox', origin: string): Promise<void> {
  const launched = await (browser === 'chrome' ? launchChrome : launchFirefox)({ browser, headless: true });
  try {
    const events: Array<{ t: number; name: string; p: unknown }> = [];
    for (const name of EVENTS) launched.bidi.on(name, (p) => events.push({ t: Date.now(), name, p }));
    await launched.bidi.send('script.addPreloadScript', pageShimPreloadParams());
    await launched.bidi.send('session.subscribe', { events: EVENTS });
    const tree = await launched.bidi.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', {});
    const context = tree.contexts[0]?.context ?? '';
    await launched.bidi.send('browsingContext.navigate', { context, url: `${origin}/`, wait: 'complete' });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const done = await launched.bidi.send<{ result?: { value?: unknown } }>('script.evaluate', { expression: 'window.__siteDone === true', target: { context }, awaitPromise: false });
      if (done.result?.value === true) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
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

const site = await startTestSite();
try {
  await record('chrome', site.origin);
  await record('firefox', site.origin);
} finally {
  await site.close();
}
