/**
 * The one body gate, exhaustively: MIME types × capture modes × wire forms (Chromium's string, Firefox's base64) ×
 * outputs (details, saved file, HAR, stop data). A planted secret must appear in none of them, and a JSON-family body
 * must be readable (kept as text) with the default body mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyFromBidiBytes, type BodyCaptureMode } from '../../../src/model/bodies.js';
import { bytesToBase64, decodeLatin1, encodeUtf8 } from '../../../src/lib/bytes.js';
import type { BodyRecord, NetworkEntry } from '../../../src/model/types.js';
import { redactEntry } from '../../../src/redact/index.js';
import { formatDetails } from '../../../src/format/index.js';
import { savedBodyFile } from '../../../src/format/saved-body.js';
import { buildHar } from '../../../src/har/index.js';
import { captureData } from '../../../src/tools/capture-data.js';
import { sampleEntry } from '../helpers/sample-entries.js';

const SECRETS = ['PLANTED-ACCESS-7f1c', 'PLANTED-REFRESH-8d2e', 'PLANTED-ID-9a3b', 'PLANTED-PASS-0c4d'];
const [ACCESS, REFRESH, ID, PASS] = SECRETS as [string, string, string, string];

const COGNITO = JSON.stringify({
  AuthenticationResult: { AccessToken: ACCESS, RefreshToken: REFRESH, IdToken: ID, ExpiresIn: 3600 },
  ChallengeParameters: {},
});
const LOGIN = JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada', PASSWORD: PASS } });

interface BodyCase {
  mime: string | undefined;
  request: string;
  response: string;
  /** Kept as text (readable) in mode "text". */
  readableInTextMode: boolean;
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-amz-json-1.1',
  'application/x-amz-json-1.0',
  'application/vnd.api+json',
  'application/graphql-response+json',
  'application/problem+json',
  'text/json',
  'text/x-json',
  // Generic or missing types: the bytes decide (they parse as JSON).
  'application/octet-stream',
  'application/x-unknown-content-type',
  undefined,
];

const CASES: BodyCase[] = [
  ...JSON_TYPES.map((mime) => ({ mime, request: LOGIN, response: COGNITO, readableInTextMode: true })),
  { mime: 'application/x-ndjson', request: `${LOGIN}\n${LOGIN}\n`, response: `${COGNITO}\n{"n":1}\n`, readableInTextMode: true },
  { mime: 'application/json-seq', request: `\u001e${LOGIN}\n`, response: `\u001e${COGNITO}\n\u001e[1]\n`, readableInTextMode: true },
  {
    mime: 'application/x-www-form-urlencoded',
    request: `username=ada&password=${PASS}&refresh_token=${REFRESH}`,
    response: `access_token=${ACCESS}&id_token=${ID}`,
    readableInTextMode: true,
  },
  {
    mime: 'text/plain',
    request: `password=${PASS}`,
    response: `Authorization: Bearer ${ACCESS}\naccess_token=${REFRESH}\n"id_token": "${ID}"`,
    readableInTextMode: true,
  },
  {
    mime: 'application/xml',
    request: `<login><password>${PASS}</password></login>`,
    response: `<r><accessToken>${ACCESS}</accessToken><refreshToken>${REFRESH}</refreshToken><idToken>${ID}</idToken></r>`,
    readableInTextMode: true,
  },
];

function wireForms(text: string): Array<{ name: string; bytes: { type: 'string' | 'base64'; value: string } }> {
  return [
    { name: 'string (Chromium)', bytes: { type: 'string', value: text } },
    { name: 'base64 (Firefox)', bytes: { type: 'base64', value: bytesToBase64(encodeUtf8(text)) } },
  ];
}

function entryWith(mime: string | undefined, request: BodyRecord, response: BodyRecord): NetworkEntry {
  const entry = sampleEntry(1);
  entry.method = 'POST';
  entry.request.headers = mime === undefined ? [] : [{ name: 'Content-Type', value: mime }];
  entry.request.body = request;
  entry.request.bodySize = request.size;
  if (!entry.response) throw new Error('sample entry 1 has a response');
  entry.response.mimeType = mime;
  entry.response.headers = mime === undefined ? [] : [{ name: 'Content-Type', value: mime }];
  entry.response.body = response;
  return entry;
}

/** Every output of one redacted entry as text, base64 payloads decoded so a secret cannot hide inside them. */
function allOutputs(redacted: NetworkEntry): Record<string, string> {
  const saved = (['request', 'response'] as const)
    .map((which) => savedBodyFile(redacted, which)?.content)
    .map((content) => (content === undefined ? '' : typeof content === 'string' ? content : decodeLatin1(content)))
    .join('\n');
  const har = buildHar([redacted], { creatorVersion: 't', browser: { name: 'b', version: '1' }, includeBodies: true });
  const harContents = har.log.entries
    .map((item) => (item.response.content.encoding === 'base64' ? atob(item.response.content.text ?? '') : ''))
    .join('\n');
  return {
    details: formatDetails(redacted).text,
    saved,
    har: `${JSON.stringify(har)}\n${harContents}`,
    stopData: JSON.stringify(captureData([redacted])),
  };
}

for (const bodyCase of CASES) {
  for (const mode of ['text', 'all'] as BodyCaptureMode[]) {
    test(`no planted secret leaves the gate: ${bodyCase.mime ?? '(no type)'}, captureBodies "${mode}"`, () => {
      const requestForms = wireForms(bodyCase.request);
      const responseForms = wireForms(bodyCase.response);
      for (let form = 0; form < 2; form += 1) {
        const requestWire = requestForms[form];
        const responseWire = responseForms[form];
        assert.ok(requestWire && responseWire);
        const request = bodyFromBidiBytes(requestWire.bytes, bodyCase.mime, 10_000_000, mode);
        const response = bodyFromBidiBytes(responseWire.bytes, bodyCase.mime, 10_000_000, mode);
        const label = `${bodyCase.mime ?? '(no type)'} ${mode} ${responseWire.name}`;
        if (bodyCase.readableInTextMode) {
          assert.equal(response.state, 'available', `${label}: response body kept`);
          assert.equal(response.encoding, 'text', `${label}: response body kept as text`);
        }
        const outputs = allOutputs(redactEntry(entryWith(bodyCase.mime, request, response)));
        for (const [output, text] of Object.entries(outputs)) {
          for (const secret of SECRETS) assert.ok(!text.includes(secret), `${label}: ${secret} leaked into ${output}`);
        }
        assert.match(outputs.details ?? '', /<redacted>/, `${label}: details show the redacted body`);
      }
    });
  }
}

test('the same case with the gate skipped does leak (the table can fail)', () => {
  const response = bodyFromBidiBytes(
    { type: 'base64', value: bytesToBase64(encodeUtf8(COGNITO)) },
    'application/x-amz-json-1.1',
    1e7,
    'all',
  );
  const request = bodyFromBidiBytes({ type: 'string', value: LOGIN }, 'application/x-amz-json-1.1', 1e7, 'all');
  const outputs = allOutputs(entryWith('application/x-amz-json-1.1', request, response));
  assert.ok(outputs.details?.includes(ACCESS));
  assert.ok(outputs.saved?.includes(PASS));
  assert.ok(outputs.har?.includes(REFRESH));
});

test('a body that is binary by type stays byte-exact and is never decoded into text outputs', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
  const record = bodyFromBidiBytes({ type: 'base64', value: bytesToBase64(png) }, 'image/png', 1e7, 'all');
  const entry = redactEntry(entryWith('image/png', { state: 'not-captured' }, record));
  const saved = savedBodyFile(entry, 'response');
  assert.ok(saved && typeof saved.content !== 'string');
  assert.deepEqual([...saved.content], [...png]);
  assert.match(formatDetails(entry).text, /<binary image\/png, 10 bytes>/);
});
