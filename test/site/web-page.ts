/**
 * The "web" page (`/web` on either origin): traffic the index page does not make — a second origin (CORS preflight,
 * a CORS failure, a redirect across origins), 304 revalidation and cache hits, SameSite cookies, br, an unread body,
 * an aborted fetch, a beacon, an attachment, multipart / form / GraphQL / gRPC-web bodies, iframes, a worker,
 * preload/prefetch, a font, `data:` and `blob:` URLs, a CSP-blocked image, SSE with named events and `retry`, long
 * polling. It runs its steps in order; `window.__webDone` is true at the end, `window.__webResults` says how each went.
 */

/** Secret-looking values the web page sends or receives; none may appear in any bidiscope output. */
export const WEB_SECRETS = Object.freeze({
  laxCookie: 'web-lax-Rq8Vn3Kd6Zp',
  strictCookie: 'web-strict-Hj2Yt5Mw9Lc',
  noneCookie: 'web-none-Fx7Sb4Gq1Ea',
  formPassword: 'web-formpw-Ud3Np8Tk5Wr',
  /** The `password` field of the multipart upload. */
  uploadSecret: 'web-upload-Ck6Ls1Vz4Hm',
  graphqlPassword: 'web-gqlpw-Be9Rx2Qf7Jt',
  graphqlToken: 'web-gqltoken-Mo5Wd8Ip3Ys',
  beaconToken: 'web-beacon-Ga1Ke6Xu9Nv',
});

/** The page's steps, in order (names in `window.__webResults`). */
export const WEB_STEPS = [
  'cors',
  'cors-fail',
  'hop',
  'etag',
  'cached',
  'cookies',
  'br',
  'unread',
  'abort',
  'beacon',
  'download',
  'multipart',
  'form',
  'graphql',
  'grpc',
  'frames',
  'worker',
  'font',
  'data',
  'blob',
  'csp',
  'sse',
  'poll',
] as const;

/** Runs in the page; `OTHER` and `SECRETS` are prepended. No template literals inside (this is one). */
const SCRIPT = `
const results = [];
function expect(cond, what) { if (!cond) throw new Error(what); }
function onceEvent(target, name, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(name + ' timed out')), ms);
    target.addEventListener(name, (event) => { clearTimeout(timer); resolve(event); }, { once: true });
  });
}
const steps = {
  'cors': async () => {
    const r = await fetch(OTHER + '/web/cors', { method: 'PUT', headers: { 'x-test': '1', 'content-type': 'application/json' }, body: '{"put":1}' });
    return (await r.json()).cors;
  },
  'cors-fail': async () => {
    try { await fetch(OTHER + '/web/cors-deny'); } catch (err) { return 'blocked: ' + err.name; }
    throw new Error('a response without allow-origin was readable');
  },
  'hop': async () => (await (await fetch('/web/hop')).json()).landed,
  'etag': async () => {
    await (await fetch('/web/etag')).json();
    const again = await fetch('/web/etag');
    return again.status + ' ' + JSON.stringify(await again.json());
  },
  'cached': async () => {
    await (await fetch('/web/cached?run=' + RUN)).json();
    return JSON.stringify(await (await fetch('/web/cached?run=' + RUN)).json());
  },
  'cookies': async () => {
    await (await fetch('/web/cookies')).json();
    return JSON.stringify(await (await fetch('/web/cookie-echo')).json());
  },
  'br': async () => (await (await fetch('/web/br')).json()).kind,
  'unread': async () => String((await fetch('/web/unread')).status),
  'abort': async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    try { await fetch('/web/abort', { signal: controller.signal }); } catch (err) { return err.name; }
    throw new Error('not aborted');
  },
  'beacon': async () => String(navigator.sendBeacon('/web/sink?via=beacon', 'token=' + SECRETS.beaconToken)),
  'download': async () => {
    const r = await fetch('/web/download');
    return r.headers.get('content-disposition') + ' ' + (await r.text()).length;
  },
  'multipart': async () => {
    const form = new FormData();
    form.append('password', SECRETS.uploadSecret);
    form.append('file', new File(['a,b;1,2'], 'table.csv', { type: 'text/csv' }));
    return String((await fetch('/web/sink?via=multipart', { method: 'POST', body: form })).status);
  },
  'form': async () => {
    const body = new URLSearchParams({ user: 'ada', password: SECRETS.formPassword });
    return String((await fetch('/web/sink?via=form', { method: 'POST', body })).status);
  },
  'graphql': async () => {
    const r = await fetch('/web/graphql', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation Login($password: String!) { login(password: $password) { token } }', variables: { password: SECRETS.graphqlPassword } }) });
    return String((await r.json()).data.viewer.token.length);
  },
  'grpc': async () => {
    const r = await fetch('/web/grpc', { method: 'POST', headers: { 'content-type': 'application/grpc-web+proto' }, body: new Uint8Array([0, 0, 0, 0, 3, 8, 150, 1]) });
    return String((await r.arrayBuffer()).byteLength);
  },
  'frames': async () => {
    const loaded = [];
    for (const src of ['/web/frame', OTHER + '/web/frame']) {
      const frame = document.createElement('iframe');
      frame.src = src;
      const done = onceEvent(window, 'message', 10000);
      document.body.appendChild(frame);
      loaded.push((await done).data);
    }
    return loaded.join(' ');
  },
  'worker': async () => {
    const worker = new Worker('/web/worker.js');
    const message = await onceEvent(worker, 'message', 10000);
    // Kept alive: the browser may still be reporting the worker's requests.
    window.__webWorker = worker;
    return String(message.data);
  },
  'font': async () => {
    // The served bytes are no real font: the browser fetches them, then rejects them.
    try { await document.fonts.load('16px webfont'); } catch (err) { return 'fetched, rejected: ' + err.name; }
    return 'fetched';
  },
  'data': async () => {
    const r = await fetch('data:application/json,%7B%22a%22%3A1%7D');
    return JSON.stringify(await r.json());
  },
  'blob': async () => {
    const url = URL.createObjectURL(new Blob(['{"blob":true}'], { type: 'application/json' }));
    const text = await (await fetch(url)).text();
    URL.revokeObjectURL(url);
    return text;
  },
  'csp': async () => {
    const img = new Image();
    const failed = onceEvent(img, 'error', 10000);
    img.src = OTHER + '/web/img.png?csp=blocked';
    document.body.appendChild(img);
    await failed;
    const ok = new Image();
    const loaded = onceEvent(ok, 'load', 10000);
    ok.src = '/web/img.png?csp=allowed';
    document.body.appendChild(ok);
    await loaded;
    return 'other origin blocked, own origin loaded';
  },
  'sse': async () => {
    const source = new EventSource('/web/sse');
    const seen = [];
    const done = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('sse timed out: ' + seen.join(','))), 10000);
      for (const name of ['tick', 'tock']) source.addEventListener(name, (e) => seen.push(name + ':' + e.data));
      source.addEventListener('done', (e) => { clearTimeout(timer); seen.push('done:' + e.data); resolve(); });
    });
    try { await done; } finally { source.close(); }
    return seen.join(',');
  },
  'poll': async () => {
    const got = [];
    for (let n = 1; n <= 3; n++) got.push((await (await fetch('/web/poll?n=' + n)).json()).n);
    return got.join(',');
  },
};
(async () => {
  for (const name of STEP_NAMES) {
    const start = performance.now();
    try { results.push({ step: name, ok: true, detail: String(await steps[name]()), ms: Math.round(performance.now() - start) }); }
    catch (err) { results.push({ step: name, ok: false, detail: String(err && err.message || err), ms: Math.round(performance.now() - start) }); }
    window.__webResults = results;
  }
  window.__webDone = true;
})();
`;

/** The `/web` page; `other` is the second origin (`http(s)://localhost:P` when loaded from 127.0.0.1). */
export function webPage(other: string): string {
  const secrets = Buffer.from(JSON.stringify(WEB_SECRETS), 'utf8').toString('base64');
  const prelude =
    `const OTHER = ${JSON.stringify(other)};\nconst SECRETS = JSON.parse(atob('${secrets}'));\n` +
    `const RUN = String(Date.now());\nconst STEP_NAMES = ${JSON.stringify(WEB_STEPS)};\nwindow.__webResults = [];\n`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>bidiscope test web</title>
<link rel="preload" href="/web/preload.js" as="script">
<link rel="prefetch" href="/web/prefetch.txt">
<style>@font-face { font-family: webfont; src: url(/web/font.woff2) format("woff2"); }</style>
</head><body><h1>bidiscope test web</h1>
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" alt="">
<script src="/web/preload.js"></script>
<script>${prelude}${SCRIPT}</script></body></html>`;
}

/** `/web/frame`: fetches `/web/data?from=frame` on its own origin and tells the parent. */
export function webFramePage(): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>frame</title></head><body><script>' +
    "fetch('/web/data?from=frame').then((r) => r.json()).then((j) => parent.postMessage(location.hostname + ':' + j.from, '*'), (e) => parent.postMessage('error:' + e.message, '*'));" +
    '</script></body></html>'
  );
}

/** `/web/worker.js`: fetches `/web/data?from=worker` and posts the answer back. */
export function webWorkerScript(): string {
  return "fetch('/web/data?from=worker').then((r) => r.json()).then((j) => postMessage(j.from), (e) => postMessage('error:' + e.message));\n";
}
