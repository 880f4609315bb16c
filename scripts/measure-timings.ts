/**
 * Measures what each browser's BiDi timings say against the truth, on the test web's HTTP/1.1 and HTTPS + HTTP/2
 * origins (raw BiDi, no bidiscope model in between):
 *   npx tsx scripts/measure-timings.ts [--browsers chrome,firefox] [--reps 3] [--no-subscribe] [--parallel]
 * For each `/timed?ttfb&body` request it prints, in ms: the server's truth (TTFB, body), the BiDi phases read
 * literally (blocked = start → requestStart, wait, receive), when each event arrived relative to the server's last
 * byte, the page's Resource Timing entry, and page → server delays. `--no-subscribe` measures the page and server
 * without any network subscription (to see what the instrumentation itself costs); `--parallel` starts all fetches
 * of a protocol at once instead of one after another.
 */
import '../src/quiet-dependencies.js';
import { launchChrome } from '../src/browser/chrome.js';
import { launchFirefox } from '../src/browser/firefox.js';
import { startTestWeb, type TestWeb } from '../test/site/web.js';
import { preciseNow } from '../test/site/timed.js';

const argValue = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const browsers = (argValue('--browsers') ?? 'chrome,firefox').split(',') as Array<'chrome' | 'firefox'>;
const reps = Number(argValue('--reps') ?? '3');
const subscribe = !process.argv.includes('--no-subscribe');
const parallel = process.argv.includes('--parallel');
const CASES: Array<[number, number]> = [
  [300, 0],
  [0, 300],
  [200, 200],
  [0, 0],
];
const EVENTS = ['network.beforeRequestSent', 'network.responseStarted', 'network.responseCompleted'];

interface Timings {
  [field: string]: number;
}
interface Seen {
  arrivals: Record<string, number>;
  timings?: Timings;
  timestamps: Record<string, number>;
  protocol?: string;
}
interface PageResult {
  id: string;
  t0: number;
  t1: number;
  prt?: Record<string, number>;
}

const PAGE_FUNCTION = `async (urls, parallel) => {
  const out = [];
  const one = async ([id, url]) => {
    const t0 = performance.timeOrigin + performance.now();
    const r = await fetch(url, { cache: 'no-store' });
    await r.arrayBuffer();
    const t1 = performance.timeOrigin + performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const e = performance.getEntriesByName(new URL(url, location.href).href).at(-1);
    const prt = e ? Object.fromEntries(['fetchStart','domainLookupStart','connectStart','secureConnectionStart','connectEnd','requestStart','responseStart','responseEnd'].map((k) => [k, e[k] ? performance.timeOrigin + e[k] : 0])) : undefined;
    out.push({ id, t0, t1, prt });
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
  if (parallel) await Promise.all(urls.map(one));
  else for (const pair of urls) await one(pair);
  return JSON.stringify(out);
}`;

const abs = (t: Timings, field: string): number | undefined => {
  const value = t[field];
  return value === undefined || value === 0 ? undefined : (t['timeOrigin'] ?? 0) + value;
};
const f = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(1));

async function measure(browser: 'chrome' | 'firefox', web: TestWeb): Promise<void> {
  const launched = await (browser === 'chrome' ? launchChrome : launchFirefox)({ browser, headless: true, acceptInsecureCerts: true });
  try {
    const seen = new Map<string, Seen>();
    for (const name of EVENTS) {
      launched.bidi.on(name, (raw) => {
        const at = preciseNow();
        const p = raw as { request: { url: string; timings?: Timings }; timestamp: number; response?: { protocol?: string } };
        const id = new URL(p.request.url).searchParams.get('id');
        if (id === null) return;
        const record = seen.get(id) ?? { arrivals: {}, timestamps: {} };
        const short = name.replace('network.', '');
        record.arrivals[short] = at;
        record.timestamps[short] = p.timestamp;
        if (p.request.timings) record.timings = p.request.timings;
        if (p.response?.protocol) record.protocol = p.response.protocol;
        seen.set(id, record);
      });
    }
    if (subscribe) await launched.bidi.send('session.subscribe', { events: EVENTS });
    const tree = await launched.bidi.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', {});
    const context = tree.contexts[0]?.context ?? '';
    process.stdout.write(`\n## ${browser} ${launched.identity.version}${subscribe ? '' : ' (no network subscription)'}\n`);
    process.stdout.write(
      'proto case | truth ttfb/body | bidi blocked wait receive | arrival−lastByte started/completed | PRT wait/receive | page→server, fetch→requestTime | reqStart−server | conn#req\n',
    );
    for (const protocol of ['h1', 'h2'] as const) {
      const origin = protocol === 'h1' ? web.http.origin : web.https.origin;
      await launched.bidi.send('browsingContext.navigate', { context, url: `${origin}/blank`, wait: 'complete' });
      const urls: Array<[string, string]> = [];
      // A first request to the same server under the name localhost opens a fresh connection (DNS, TCP, TLS).
      const freshId = `${browser}-${protocol}-fresh-${Math.random().toString(36).slice(2, 8)}`;
      urls.push([freshId, `${origin.replace('127.0.0.1', 'localhost')}/timed?ttfb=100&body=100&id=${freshId}`]);
      for (let rep = 0; rep < reps; rep++) {
        for (const [ttfb, body] of CASES) {
          const id = `${browser}-${protocol}-${ttfb}-${body}-${rep}-${Math.random().toString(36).slice(2, 8)}`;
          urls.push([id, `/timed?ttfb=${ttfb}&body=${body}&id=${id}`]);
        }
      }
      const result = await launched.bidi.send<{ result?: { value?: string } }>(
        'script.callFunction',
        {
          functionDeclaration: PAGE_FUNCTION,
          arguments: [
            {
              type: 'array',
              value: urls.map(([id, url]) => ({
                type: 'array',
                value: [
                  { type: 'string', value: id },
                  { type: 'string', value: url },
                ],
              })),
            },
            { type: 'boolean', value: parallel },
          ],
          target: { context },
          awaitPromise: true,
        },
        120_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const page = JSON.parse(result.result?.value ?? '[]') as PageResult[];
      for (const run of page) {
        const server = web.timed.get(run.id);
        const events = seen.get(run.id);
        const t = events?.timings ?? {};
        const start = abs(t, 'requestTime') ?? abs(t, 'fetchStart') ?? ((t['timeOrigin'] ?? 0) > 0 ? t['timeOrigin'] : undefined);
        const requestStart = abs(t, 'requestStart');
        const responseStart = abs(t, 'responseStart');
        const responseEnd = abs(t, 'responseEnd');
        const last = server?.lastByteAt;
        const prt = run.prt;
        const cells = [
          `${protocol} ${server?.ttfbMs}/${server?.bodyMs}`,
          `${f(server && server.headersAt !== undefined ? server.headersAt - server.receivedAt : undefined)}/${f(server && last !== undefined && server.headersAt !== undefined ? last - server.headersAt : undefined)}`,
          `${f(start !== undefined && requestStart !== undefined ? requestStart - start : undefined)} ${f(requestStart !== undefined && responseStart !== undefined ? responseStart - requestStart : undefined)} ${f(responseStart !== undefined && responseEnd !== undefined ? responseEnd - responseStart : undefined)}`,
          `${f(last !== undefined && events?.arrivals['responseStarted'] !== undefined ? events.arrivals['responseStarted'] - last : undefined)}/${f(last !== undefined && events?.arrivals['responseCompleted'] !== undefined ? events.arrivals['responseCompleted'] - last : undefined)}`,
          prt
            ? `${f((prt['responseStart'] ?? 0) - (prt['requestStart'] ?? 0))}/${f((prt['responseEnd'] ?? 0) - (prt['responseStart'] ?? 0))}`
            : '–',
          `${f(server ? server.receivedAt - run.t0 : undefined)}, ${f(start !== undefined ? start - run.t0 : undefined)}`,
          `${f(requestStart !== undefined && server ? requestStart - server.receivedAt : undefined)}`,
          `${server?.connection?.id}#${server?.requestOnConnection}`,
        ];
        if (server?.requestOnConnection === 1) {
          const span = (a: string, b: string): string => {
            const x = abs(t, a);
            const y = abs(t, b);
            return f(x !== undefined && y !== undefined ? y - x : undefined);
          };
          const accepted = server.connection?.acceptedAt;
          const secure = server.connection?.secureAt;
          const rel = (field: string, at: number | undefined): string => {
            const x = abs(t, field);
            return f(x !== undefined && at !== undefined ? x - at : undefined);
          };
          cells.push(
            `fresh: dns ${span('dnsStart', 'dnsEnd')} connect ${span('connectStart', 'connectEnd')} tls ${span('tlsStart', 'connectEnd')}` +
              ` connectStart−accept ${rel('connectStart', accepted)} connectEnd−secure ${rel('connectEnd', secure)}` +
              ` PRT connect ${prt ? f((prt['connectEnd'] ?? 0) - (prt['connectStart'] ?? 0)) : '–'} raw ${JSON.stringify(t)}`,
          );
        }
        process.stdout.write(`${cells.join(' | ')}\n`);
      }
    }
  } finally {
    await launched.close();
  }
}

const web = await startTestWeb();
try {
  for (const browser of browsers) await measure(browser, web);
} finally {
  await web.close();
}
