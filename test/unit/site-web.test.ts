import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { TIMED_CHUNK_BYTES, originFor, startTestWeb, type TestWeb } from '../site/web.js';

let web: TestWeb;

before(async () => {
  web = await startTestWeb();
});

after(async () => {
  await web.close();
});

/** GET over HTTP/2 (self-signed certificate accepted): status, protocol and body length. */
function h2Get(origin: string, path: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const session = connect(origin, { rejectUnauthorized: false });
    session.on('error', reject);
    const stream = session.request({ ':path': path });
    let status = 0;
    let bytes = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      session.close();
      resolve({ status, bytes });
    });
    stream.on('error', reject);
    stream.end();
  });
}

test('both origins are loopback: HTTP/1.1 on http, HTTP/2 only on https', async () => {
  assert.match(originFor(web, 'h1'), /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(originFor(web, 'h2'), /^https:\/\/127\.0\.0\.1:\d+$/);
  const blank = await h2Get(web.https.origin, '/blank');
  assert.equal(blank.status, 200);
  assert.ok(blank.bytes > 0);
});

test('/timed honours ttfb and body on both protocols and records when it received, answered and finished', async () => {
  const h1 = await fetch(`${web.http.origin}/timed?ttfb=120&body=80&id=unit-h1`);
  assert.equal(h1.status, 200);
  assert.equal((await h1.arrayBuffer()).byteLength, 2 * TIMED_CHUNK_BYTES);
  const h2 = await h2Get(web.https.origin, '/timed?ttfb=80&body=120&id=unit-h2');
  assert.deepEqual(h2, { status: 200, bytes: 2 * TIMED_CHUNK_BYTES });

  const first = web.timed.finished('unit-h1');
  const second = web.timed.finished('unit-h2');
  assert.ok(first?.headersAt !== undefined && first.lastByteAt !== undefined);
  assert.ok(second?.headersAt !== undefined && second.lastByteAt !== undefined);
  assert.equal(first.httpVersion, '1.1');
  assert.equal(second.httpVersion, '2.0');
  // Timers never fire early; a loaded machine may fire them late.
  assert.ok(first.headersAt - first.receivedAt >= 119 && first.lastByteAt - first.headersAt >= 79);
  assert.ok(second.headersAt - second.receivedAt >= 79 && second.lastByteAt - second.headersAt >= 119);
  assert.equal(first.requestOnConnection, 1);
  assert.ok(second.connection?.secureAt !== undefined, 'the TLS handshake is recorded on the https origin');
  assert.ok(second.connection.acceptedAt <= second.connection.secureAt);
});

test('/timed clamps its delays and names anonymous requests', async () => {
  const response = await fetch(`${web.http.origin}/timed?ttfb=-5&body=abc`);
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  const anonymous = web.timed.all().find((record) => record.id.startsWith('anon-'));
  assert.deepEqual([anonymous?.ttfbMs, anonymous?.bodyMs], [0, 0]);
});

test('/web is served by both origins; its routes point at the other origin and revalidate', async () => {
  const page = await fetch(`${web.http.origin}/web`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), "img-src 'self' data: blob:");
  assert.ok((await page.text()).includes(`const OTHER = "http://localhost:${web.http.port}"`));
  const secure = await h2Get(web.https.origin, '/web');
  assert.equal(secure.status, 200);
  const hop = await fetch(`${web.http.origin}/web/hop`, { redirect: 'manual' });
  assert.equal(hop.status, 302);
  assert.equal(hop.headers.get('location'), `http://localhost:${web.http.port}/web/landing`);
  const fresh = await fetch(`${web.http.origin}/web/etag`);
  await fresh.arrayBuffer();
  const again = await fetch(`${web.http.origin}/web/etag`, { headers: { 'if-none-match': String(fresh.headers.get('etag')) } });
  assert.equal(again.status, 304);
  const preflight = await fetch(`${web.http.origin}/web/cors`, { method: 'OPTIONS', headers: { origin: 'http://localhost' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost');
});
