import { LARGE_SIZE } from './bodies.js';
import { SITE_SECRETS } from './secrets.js';

/** Title of the index page before (and while) its sequence runs. */
export const SITE_TITLE = 'bidiscope test site';

/** Title the index page sets once its sequence is done. */
export const SITE_DONE_TITLE = `${SITE_TITLE} \u2014 done`;

/** The index page's steps, in the order it runs them (names used in `window.__siteResults`). */
export const SITE_STEPS = ['json', 'login', 'xhr', 'img', 'redirect', 'missing', 'gzip', 'large', 'dead', 'sse', 'ws'] as const;

/** One entry of `window.__siteResults`: `ok` means the step behaved as expected (for `dead`: the fetch failed). */
export interface SiteStepResult {
  step: (typeof SITE_STEPS)[number];
  ok: boolean;
  detail: string;
  ms: number;
}

/**
 * The page script. Secrets are embedded base64-encoded, so the HTML never contains a secret literally
 * (a redaction test can search a whole capture for them without the page itself being a false hit).
 * No JS template literals inside: this is itself a template literal.
 */
function indexScript(closedPort: number): string {
  const secrets = Buffer.from(JSON.stringify(SITE_SECRETS), 'utf8').toString('base64');
  return `
(function () {
  'use strict';
  const SITE_SECRETS = JSON.parse(atob('${secrets}'));
  const CLOSED_PORT = ${closedPort};
  const LARGE_SIZE = ${LARGE_SIZE};
  const STEP_TIMEOUT_MS = 15000;
  let runs = 0;
  let chain = Promise.resolve([]);

  function errText(err) { return err && err.message ? String(err.message) : String(err); }
  function expect(cond, what) { if (!cond) throw new Error(what); }

  const steps = [
    ['json', async () => {
      const r = await fetch('/api/json');
      const body = await r.json();
      expect(r.ok, 'status ' + r.status);
      return r.status + ' ' + body.items.length + ' items';
    }],
    ['login', async () => {
      const r = await fetch('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + SITE_SECRETS.bearerToken },
        body: JSON.stringify({ user: 'ada', password: SITE_SECRETS.password, nested: { refresh_token: SITE_SECRETS.refreshToken } }),
      });
      const body = await r.json();
      expect(r.ok && body.ok === true, 'status ' + r.status);
      return String(r.status);
    }],
    ['xhr', (onTimeout) => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      onTimeout(() => xhr.abort());
      xhr.open('GET', '/api/xhr?q=1&api_key=' + encodeURIComponent(SITE_SECRETS.apiKey));
      xhr.onload = () => xhr.status === 200 ? resolve(xhr.status + ' ' + xhr.responseText) : reject(new Error('status ' + xhr.status));
      xhr.onerror = () => reject(new Error('network error'));
      xhr.send();
    })],
    ['img', () => new Promise((resolve, reject) => {
      const img = document.getElementById('site-img');
      if (runs > 1) img.src = '/img.png?run=' + runs;
      const done = () => img.naturalWidth > 0 ? resolve(img.naturalWidth + 'x' + img.naturalHeight) : reject(new Error('image did not decode'));
      if (img.complete) { done(); return; }
      img.addEventListener('load', done, { once: true });
      img.addEventListener('error', () => reject(new Error('image failed to load')), { once: true });
    })],
    ['redirect', async () => {
      const r = await fetch('/r1');
      const text = await r.text();
      expect(r.ok && r.redirected && new URL(r.url).pathname === '/final', 'ended at ' + r.url + ' with ' + r.status);
      return r.status + ' ' + text.trim();
    }],
    ['missing', async () => {
      const r = await fetch('/missing');
      await r.json();
      expect(r.status === 404, 'status ' + r.status);
      return String(r.status);
    }],
    ['gzip', async () => {
      const r = await fetch('/gzip');
      const body = await r.json();
      expect(r.ok && Array.isArray(body.rows), 'status ' + r.status);
      return r.status + ' ' + body.rows.length + ' rows';
    }],
    ['large', async () => {
      const r = await fetch('/large');
      const bytes = new Uint8Array(await r.arrayBuffer());
      expect(r.ok && bytes.length === LARGE_SIZE && bytes[LARGE_SIZE - 1] === (LARGE_SIZE - 1) % 251, 'status ' + r.status + ', ' + bytes.length + ' B');
      return r.status + ' ' + bytes.length + ' B';
    }],
    ['dead', async () => {
      try { await fetch('http://127.0.0.1:' + CLOSED_PORT + '/dead'); } catch (err) { return 'network error: ' + errText(err); }
      throw new Error('fetch to a closed port succeeded');
    }],
    ['sse', (onTimeout) => new Promise((resolve, reject) => {
      const es = new EventSource('/sse');
      onTimeout(() => es.close());
      const got = [];
      es.onmessage = (ev) => {
        got.push(ev.data);
        if (got.length === 3) { es.close(); resolve(got.join(',')); }
      };
      es.onerror = () => { if (es.readyState === EventSource.CLOSED) reject(new Error('EventSource failed')); };
    })],
    ['ws', (onTimeout) => new Promise((resolve, reject) => {
      const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
      onTimeout(() => ws.close());
      const replies = [];
      ws.onopen = () => { ws.send('hello-1'); ws.send('hello-2'); ws.send('{"m":3}'); };
      ws.onmessage = (ev) => { replies.push(String(ev.data)); if (replies.length === 3) ws.close(); };
      ws.onclose = (ev) => replies.length === 3 ? resolve(replies.join(' ')) : reject(new Error('closed early, code ' + ev.code));
    })],
  ];

  function withTimeout(name, fn) {
    let cleanup = null;
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        if (cleanup) cleanup();
        reject(new Error(name + ' timed out after ' + STEP_TIMEOUT_MS + ' ms'));
      }, STEP_TIMEOUT_MS);
    });
    return Promise.race([fn((c) => { cleanup = c; }), timeout]).finally(() => clearTimeout(timer));
  }

  async function runOnce() {
    runs += 1;
    const results = [];
    window.__siteDone = false;
    window.__siteResults = results;
    document.title = ${JSON.stringify(SITE_TITLE)};
    for (const [name, fn] of steps) {
      const started = performance.now();
      let ok = true;
      let detail;
      try { detail = String(await withTimeout(name, fn)); } catch (err) { ok = false; detail = errText(err); }
      results.push({ step: name, ok, detail, ms: Math.round(performance.now() - started) });
    }
    document.title = ${JSON.stringify(SITE_DONE_TITLE)};
    window.__siteDoneMs = performance.now();
    window.__siteDone = true;
    return results;
  }

  window.runSite = function () {
    chain = chain.then(runOnce, runOnce);
    return chain;
  };
  window.runSite();
})();
`;
}

/** `GET /`: the page mirroring the recorded fixtures; runs every step once on load, `window.runSite()` re-runs. */
export function indexPage(closedPort: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${SITE_TITLE}</title>
</head>
<body>
<h1>${SITE_TITLE}</h1>
<p>Loads JSON, logs in, sends an XHR, shows an image, follows redirects, hits a 404, gzip, 3 MB, a dead port, SSE and a WebSocket.</p>
<img id="site-img" src="/img.png" alt="test image" width="16" height="16">
<script>${indexScript(closedPort)}</script>
</body>
</html>
`;
}

/** `GET /many`: exposes `window.runMany(n, concurrency = 16)`; with `?n=N&auto=1` it runs itself and sets `window.__manyDone`. */
export function manyPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>many</title>
</head>
<body>
<h1>many</h1>
<script>
(function () {
  'use strict';
  window.runMany = async function (n, concurrency = 16) {
    const total = Math.max(0, Math.floor(Number(n) || 0));
    let next = 0;
    let ok = 0;
    async function worker() {
      while (next < total) {
        const i = next++;
        try {
          const r = await fetch('/tiny?i=' + i);
          await r.text();
          if (r.ok) ok++;
        } catch (err) { /* counted as not OK */ }
      }
    }
    const workers = [];
    for (let w = 0; w < Math.min(Math.max(1, Math.floor(concurrency)), total); w++) workers.push(worker());
    await Promise.all(workers);
    return ok;
  };
  const params = new URLSearchParams(location.search);
  if (params.get('auto') === '1') {
    window.runMany(Number(params.get('n') || '100')).then((count) => {
      window.__manyDone = count;
      document.title = 'many \\u2014 done';
    });
  }
})();
</script>
</body>
</html>
`;
}

/** `GET /blank`: a minimal page titled "blank". */
export function blankPage(): string {
  return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n';
}
