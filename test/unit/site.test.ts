import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import {
  LARGE_SIZE,
  NEVER_READ_SENT,
  SITE_SECRETS,
  SITE_STEPS,
  gzipBodyText,
  largeBody,
  startTestSite,
} from '../site/server.js';
import type { TestSite } from '../site/server.js';

let site: TestSite;

before(async () => {
  site = await startTestSite();
});

after(async () => {
  await site.close();
});

/** GET without automatic decoding: status, headers and the bytes exactly as sent. */
function rawGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function secretValues(): string[] {
  return Object.values(SITE_SECRETS);
}

test('origin is loopback and the closed port refuses connections', async () => {
  assert.match(site.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(site.origin, `http://127.0.0.1:${site.port}`);
  assert.notEqual(site.closedPort, site.port);
  await assert.rejects(fetch(`http://127.0.0.1:${site.closedPort}/dead`));
});

test('GET / is the index page with every step and no literal secret', async () => {
  const res = await fetch(`${site.origin}/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const html = await res.text();
  assert.match(html, /<title>bidiscope test site<\/title>/);
  assert.match(html, /<img id="site-img" src="\/img\.png"/);
  assert.match(html, /window\.runSite = /);
  assert.ok(html.includes(`'http://127.0.0.1:' + CLOSED_PORT + '/dead'`));
  assert.ok(html.includes(`const CLOSED_PORT = ${site.closedPort};`));
  for (const step of SITE_STEPS) assert.ok(html.includes(`['${step}', `), `step ${step} in page`);
  for (const secret of secretValues()) assert.ok(!html.includes(secret), 'the page embeds secrets encoded only');
});

test('GET /api/json is about 2 KB of JSON', async () => {
  const res = await fetch(`${site.origin}/api/json`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const text = await res.text();
  assert.ok(text.length > 1500 && text.length < 3000, `length ${text.length}`);
  const body = JSON.parse(text) as { items: unknown[] };
  assert.ok(body.items.length > 0);
});

test('POST /api/login sets the session cookie and returns the token', async () => {
  const res = await fetch(`${site.origin}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SITE_SECRETS.bearerToken}` },
    body: JSON.stringify({ user: 'ada', password: SITE_SECRETS.password, nested: { refresh_token: SITE_SECRETS.refreshToken } }),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('set-cookie'), `sid=${SITE_SECRETS.sessionCookie}; Path=/; HttpOnly`);
  assert.deepEqual(await res.json(), { ok: true, token: SITE_SECRETS.bearerToken });
  assert.equal((await fetch(`${site.origin}/api/login`)).status, 405);
});

test('GET /api/xhr reports whether the session cookie came along', async () => {
  const url = `${site.origin}/api/xhr?q=1&api_key=${SITE_SECRETS.apiKey}`;
  assert.deepEqual(await (await fetch(url)).json(), { q: '1', sawSession: false });
  const withCookie = await fetch(url, { headers: { cookie: `sid=${SITE_SECRETS.sessionCookie}` } });
  assert.deepEqual(await withCookie.json(), { q: '1', sawSession: true });
});

test('GET /img.png is a real PNG', async () => {
  const res = await rawGet(`${site.origin}/img.png`);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'image/png');
  assert.deepEqual([...res.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(res.body.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.equal(res.body.readUInt32BE(16), 16);
  assert.equal(res.body.subarray(-8, -4).toString('latin1'), 'IEND');
});

test('/r1 redirects to /r2, then /final', async () => {
  const r1 = await fetch(`${site.origin}/r1`, { redirect: 'manual' });
  assert.equal(r1.status, 302);
  assert.equal(r1.headers.get('location'), '/r2');
  const r2 = await fetch(`${site.origin}/r2`, { redirect: 'manual' });
  assert.equal(r2.status, 302);
  assert.equal(r2.headers.get('location'), '/final');
  const followed = await fetch(`${site.origin}/r1`);
  assert.equal(followed.status, 200);
  assert.ok(followed.redirected);
  assert.equal(followed.url, `${site.origin}/final`);
  assert.equal(await followed.text(), 'final\n');
});

test('GET /missing is a 404 with a small JSON body', async () => {
  const res = await fetch(`${site.origin}/missing`);
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await res.json(), { error: 'not found', path: '/missing' });
});

test('GET /gzip is gzip-encoded JSON of at least 4 KB decoded', async () => {
  const raw = await rawGet(`${site.origin}/gzip`);
  assert.equal(raw.headers['content-encoding'], 'gzip');
  assert.equal(raw.headers['content-type'], 'application/json');
  assert.deepEqual([...raw.body.subarray(0, 2)], [0x1f, 0x8b]);
  const decoded = gunzipSync(raw.body).toString('utf8');
  assert.equal(decoded, gzipBodyText());
  assert.ok(decoded.length >= 4096, `decoded ${decoded.length}`);
  assert.ok(raw.body.length < decoded.length / 2, 'compresses');
  const viaFetch = await fetch(`${site.origin}/gzip`);
  assert.equal(viaFetch.headers.get('content-encoding'), 'gzip');
  assert.equal(await viaFetch.text(), gzipBodyText());
});

test('GET /large is 3 MiB of i % 251', async () => {
  const res = await fetch(`${site.origin}/large`);
  assert.equal(res.headers.get('content-type'), 'application/octet-stream');
  assert.equal(res.headers.get('content-length'), String(LARGE_SIZE));
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(bytes.length, 3 * 1024 * 1024);
  assert.equal(bytes[251], 0);
  assert.equal(bytes[LARGE_SIZE - 1], (LARGE_SIZE - 1) % 251);
  assert.ok(Buffer.from(bytes).equals(largeBody()));
});

test('GET /sse sends three events about 50 ms apart', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const res = await fetch(`${site.origin}/sse`, { signal: controller.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.ok(res.body);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while ((text.match(/\n\n/g) ?? []).length < 3) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  controller.abort();
  assert.equal(text, 'id: 1\ndata: sse-event-1\n\nid: 2\ndata: sse-event-2\n\nid: 3\ndata: sse-event-3\n\n');
  assert.ok(Date.now() - started >= 90, 'events are spaced');
});

test('/ws echoes text with a prefix and binary as binary', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${site.port}/ws`);
  const replies: { data: Buffer; isBinary: boolean }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      replies.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(Array.isArray(data) ? Buffer.concat(data) : data)), isBinary });
      if (replies.length === 4) resolve();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send('hello-1');
  ws.send('hello-2');
  ws.send('{"m":3}');
  ws.send(Buffer.from([0, 1, 2, 255]), { binary: true });
  await done;
  ws.close();
  assert.deepEqual(
    replies.slice(0, 3).map((r) => [r.data.toString('utf8'), r.isBinary]),
    [['echo:hello-1', false], ['echo:hello-2', false], ['echo:{"m":3}', false]],
  );
  assert.equal(replies[3]?.isBinary, true);
  assert.deepEqual([...(replies[3]?.data ?? [])], [0, 1, 2, 255]);
});

test('GET /many exposes runMany and /tiny answers tiny JSON', async () => {
  const html = await (await fetch(`${site.origin}/many?n=5`)).text();
  assert.match(html, /<title>many<\/title>/);
  assert.match(html, /window\.runMany = async function \(n, concurrency = 16\)/);
  assert.match(html, /window\.__manyDone = count/);
  assert.equal(await (await fetch(`${site.origin}/tiny?i=7`)).text(), '{"i":7}');
});

test('small routes: /blank, /favicon.ico, /slow', async () => {
  assert.match(await (await fetch(`${site.origin}/blank`)).text(), /<title>blank<\/title>/);
  const favicon = await fetch(`${site.origin}/favicon.ico`);
  assert.equal(favicon.status, 204);
  assert.equal(favicon.headers.get('cache-control'), 'no-store');
  const started = Date.now();
  const slow = await fetch(`${site.origin}/slow?ms=120`);
  assert.equal(await slow.text(), 'slept 120 ms\n');
  assert.ok(Date.now() - started >= 110);
});

test('GET /never-read sends 64 KB and then stalls', async () => {
  const controller = new AbortController();
  const res = await fetch(`${site.origin}/never-read`, { signal: controller.signal });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), null);
  assert.ok(res.body);
  const reader = res.body.getReader();
  let received = 0;
  while (received < NEVER_READ_SENT) {
    const chunk = await reader.read();
    if (chunk.done) break;
    received += chunk.value.length;
  }
  assert.equal(received, NEVER_READ_SENT);
  const stalled = await Promise.race([reader.read().then(() => 'data'), new Promise((resolve) => setTimeout(resolve, 150, 'stalled'))]);
  assert.equal(stalled, 'stalled');
  controller.abort();
});

test('close() resolves quickly with open slow, SSE, never-read and WebSocket connections', async () => {
  const other = await startTestSite();
  const pending = [
    fetch(`${other.origin}/slow?ms=30000`).then((r) => r.text()),
    fetch(`${other.origin}/never-read`).then((r) => r.arrayBuffer()),
    fetch(`${other.origin}/sse`).then((r) => r.text()),
  ].map((p) => p.then(() => 'done', () => 'failed'));
  const ws = new WebSocket(`ws://127.0.0.1:${other.port}/ws`);
  const wsClosed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  await other.close();
  assert.ok(Date.now() - started < 2_500, `close took ${Date.now() - started} ms`);
  await other.close(); // idempotent
  assert.deepEqual(await Promise.all(pending), ['failed', 'failed', 'failed']);
  await wsClosed;
  await assert.rejects(fetch(`${other.origin}/blank`));
});
