/**
 * Probe (not part of `npm run bench`): what subscribing to BiDi network events costs the browser itself, with a
 * client that does nothing with the events — no bidiscope model, no bodies. `/many`'s `runMany(1000, 16)`, timed in
 * the page, with no subscription, one, two and all four network events, interleaved.
 *
 * Usage: `npx tsx scripts/bench/raw-subscription.ts firefox|chrome [rounds]`
 */
import '../../src/quiet-dependencies.js';
import { launchChrome } from '../../src/browser/chrome.js';
import { launchFirefox } from '../../src/browser/firefox.js';
import type { LaunchedBrowser } from '../../src/browser/launched-browser.js';
import { startTestSite } from '../../test/site/server.js';
import { median } from './stats.js';

const SUBSCRIPTIONS: Record<string, string[]> = {
  none: [],
  responseCompleted: ['network.responseCompleted'],
  'beforeRequestSent+responseCompleted': ['network.beforeRequestSent', 'network.responseCompleted'],
  'all four': ['network.beforeRequestSent', 'network.responseStarted', 'network.responseCompleted', 'network.fetchError'],
};
const RUN_MANY = 'async () => { const t0 = performance.now(); await window.runMany(1000, 16); return performance.now() - t0; }';

async function burst(browser: LaunchedBrowser, context: string, origin: string, events: string[]): Promise<number> {
  await browser.bidi.send('browsingContext.navigate', { context, url: `${origin}/many`, wait: 'complete' });
  const subscription =
    events.length > 0 ? (await browser.bidi.send<{ subscription?: string }>('session.subscribe', { events })).subscription : undefined;
  const result = await browser.bidi.send<{ result?: { value?: unknown } }>(
    'script.callFunction',
    { functionDeclaration: RUN_MANY, target: { context }, awaitPromise: true },
    120_000,
  );
  if (subscription !== undefined) await browser.bidi.send('session.unsubscribe', { subscriptions: [subscription] });
  return Number(result.result?.value);
}

const which = process.argv[2] === 'chrome' ? 'chrome' : 'firefox';
const rounds = Number(process.argv[3] ?? 3);
const site = await startTestSite();
const browser = await (which === 'chrome' ? launchChrome : launchFirefox)({ browser: which, headless: true });
try {
  for (const event of SUBSCRIPTIONS['all four'] ?? []) browser.bidi.on(event, () => undefined);
  const tree = await browser.bidi.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', {});
  const context = tree.contexts[0]?.context;
  if (context === undefined) throw new Error('no browsing context');
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, events] of Object.entries(SUBSCRIPTIONS)) {
      const ms = await burst(browser, context, site.origin, events);
      samples.set(name, [...(samples.get(name) ?? []), ms]);
      process.stderr.write(`round ${round + 1}: ${name} ${Math.round(ms)} ms\n`);
    }
  }
  const base = median(samples.get('none') ?? []);
  for (const [name, values] of samples) {
    process.stdout.write(`${which} ${name.padEnd(36)} median ${Math.round(median(values))} ms  ${(median(values) / base).toFixed(2)}×\n`);
  }
} finally {
  await browser.close();
  await site.close();
}
