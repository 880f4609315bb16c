/**
 * Hostile input for every tool, through the real MCP client, with one Chromium session open so sessionId-taking
 * tools reach their handlers: wrong types for every property, missing required fields, 1–5 MB strings, 10,000-deep
 * JSON, unknown keys, out-of-range numbers, NaN-like values, invalid and catastrophic regexes, javascript:/file:/data:
 * URLs, path traversal, random confirm tokens. The server must stay up, answer each call with a well-formed
 * CallToolResult (isError for invalid input) within a bound, write nothing outside its output dir, and leave nothing
 * behind. Cases come from a seeded PRNG: set BIDISCOPE_FUZZ_SEED to replay a run.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestSite, type TestSite } from '../site/server.js';
import {
  isAlive,
  leftoverTempDirs,
  REPO_ROOT,
  removeTestDirs,
  startServer,
  waitForNoProcessesMentioning,
  type ServerUnderTest,
} from '../helpers/mcp-server.js';
import { captureCounts, waitFor } from '../helpers/site-scenario.js';

const SEED = Number(process.env.BIDISCOPE_FUZZ_SEED ?? Date.now() % 1_000_000_007);
/** Bound on one call, however hostile its input. */
const CALL_BOUND_MS = 15_000;
const DEPTH = 10_000;

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
const ALPHABET = 'abcXYZ019 -_./\\%?&=#:;"\'<>{}[]()*+|^$@!~`\u00e9\u4e2d\u{1f4a5}\u0000\n\t';
function randomString(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[int(0, ALPHABET.length - 1)] ?? 'a';
  return text;
}
function hugeString(): string {
  const size = int(1, 5) * 1024 * 1024;
  const unit = randomString(64).replaceAll('\u0000', 'a');
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}
/**
 * JSON text nested {@link DEPTH} levels deep. It is built as text: JSON.stringify recurses and overflows the stack
 * at this depth (JSON.parse does not), so such input is sent as a raw JSON-RPC line — see {@link RawChannel}.
 */
function deepJson(kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(DEPTH)}"bottom"${']'.repeat(DEPTH)}` : `${'{"d":'.repeat(DEPTH)}"bottom"${'}'.repeat(DEPTH)}`;
}

/** The JSON text of `base` with `key` set to the raw JSON `value`. */
function withRaw(base: Record<string, unknown>, key: string, value: string): string {
  const rest = { ...base };
  delete rest[key];
  const head = JSON.stringify(rest);
  return `${head === '{}' ? '{' : `${head.slice(0, -1)},`}${JSON.stringify(key)}:${value}}`;
}

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: PropertySchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  items?: PropertySchema;
}
interface ToolSchema {
  name: string;
  inputSchema: { properties?: Record<string, PropertySchema>; required?: string[]; additionalProperties?: unknown };
}

/** `true`: must be isError. `'any'`: may succeed (the input is valid or only semantically odd). */
type Expectation = true | 'any';
interface FuzzCase {
  tool: string;
  args: Record<string, unknown>;
  /** Arguments as raw JSON text, for input the SDK client cannot serialize (10,000-deep nesting). */
  rawArgs?: string;
  expect: Expectation;
  why: string;
  /** What an error answer must say. */
  match?: RegExp;
}

function typesOf(schema: PropertySchema): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(typesOf);
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

/** JSON values of every kind; callers keep the ones whose JSON type the schema does not allow. */
function valuesOfOtherTypes(types: readonly string[]): Array<[unknown, string]> {
  const all: Array<[unknown, string, string]> = [
    ['NaN', 'string', '"NaN"'],
    ['', 'string', 'empty string'],
    [randomString(int(1, 40)), 'string', 'random string'],
    [int(-1000, 1000), 'integer', 'integer'],
    [-0.5, 'number', 'negative float'],
    [Infinity, 'null', '1e309 (sent as null)'],
    [null, 'null', 'null'],
    [true, 'boolean', 'true'],
    [false, 'boolean', 'false'],
    [[], 'array', 'empty array'],
    [[randomString(5), 1, null], 'array', 'mixed array'],
    [{}, 'object', 'empty object'],
    [{ [randomString(6)]: randomString(6) }, 'object', 'random object'],
  ];
  const allowed = new Set(types);
  if (allowed.has('number')) allowed.add('integer');
  return all
    .filter(([, type]) => !allowed.has(type) && !(type === 'number' && allowed.has('number')))
    .map(([value, , label]) => [value, label]);
}

/** Inputs that are well-formed except for the fuzzed part, so the error is about that part. */
function baseArgs(tool: string, site: TestSite): Record<string, unknown> {
  switch (tool) {
    case 'navigate':
      return { url: `${site.origin}/blank` };
    case 'evaluate_script':
      return { expression: '1' };
    case 'get_request_details':
      return { index: 0 };
    case 'confirm_output':
      return { token: 'cfm_0000000000000000' };
    case 'close_session':
      return { sessionId: 'no-such-session' }; // never close the one real session
    default:
      return {};
  }
}

/** Schema-driven cases: every one is invalid by the tool's own inputSchema unless marked 'any'. */
function schemaCases(tools: readonly ToolSchema[], site: TestSite): FuzzCase[] {
  const cases: FuzzCase[] = [];
  let huge = 0;
  for (const tool of tools) {
    const base = baseArgs(tool.name, site);
    const properties = tool.inputSchema.properties ?? {};
    for (const [name, schema] of Object.entries(properties)) {
      const types = typesOf(schema);
      const add = (value: unknown, why: string, expect: Expectation = true): void => {
        cases.push({ tool: tool.name, args: { ...base, [name]: value }, expect, why: `${name}: ${why}` });
      };
      if (types.length > 0) for (const [value, label] of valuesOfOtherTypes(types)) add(value, `wrong type (${label})`);
      if (types.includes('integer') || types.includes('number')) {
        const numeric = schema.anyOf?.find((option) => option.type === 'integer' || option.type === 'number') ?? schema;
        if (numeric.minimum !== undefined) add(numeric.minimum - int(1, 1000), 'below minimum');
        if (numeric.maximum !== undefined) add(numeric.maximum + int(1, 1000), 'above maximum');
        if (types.includes('integer')) add(int(1, 100) + 0.5, 'float for an integer');
        add(-(2 ** 60), 'huge negative');
        // As raw JSON, 1e309 parses to Infinity on the server (the SDK client would have sent null).
        for (const literal of ['1e309', '-1e309']) {
          cases.push({ tool: tool.name, args: base, rawArgs: withRaw(base, name, literal), expect: true, why: `${name}: raw ${literal}` });
        }
        add(2 ** 53 + 2, 'beyond 2^53', numeric.maximum === undefined && !types.includes('string') ? 'any' : true);
      }
      if (types.includes('string')) {
        const text = schema.anyOf?.find((option) => option.type === 'string') ?? schema;
        const limited = text.maxLength !== undefined || text.pattern !== undefined || schema.enum !== undefined;
        if (huge < 30) {
          huge += 1;
          add(hugeString(), '1-5 MB string', limited ? true : 'any');
        }
        if (schema.enum) add(`${String(schema.enum[0])}-${randomString(3)}`, 'not one of the enum');
        if (text.pattern) add(`${randomString(4)}\u0000!`, 'does not match the pattern');
      }
      if (types.includes('array') && schema.items?.enum) add([`bogus-${randomString(3)}`], 'array item not in enum');
      if (types.includes('array') && schema.items?.type === 'string') add([42, null], 'array items of the wrong type');
      const deepKind = pick(['array', 'object'] as const);
      cases.push({
        tool: tool.name,
        args: base,
        rawArgs: withRaw(base, name, deepJson(deepKind)),
        expect: types.includes(deepKind) && !schema.items?.type && !schema.items?.enum ? 'any' : true,
        why: `${name}: ${DEPTH}-deep ${deepKind}`,
      });
    }
    if (tool.inputSchema.additionalProperties === false) {
      cases.push({ tool: tool.name, args: { ...base, [`unknown_${randomString(4)}`]: randomString(8) }, expect: true, why: 'unknown key' });
      cases.push({
        tool: tool.name,
        args: base,
        rawArgs: withRaw(base, 'x'.repeat(2000), deepJson('object')),
        expect: true,
        why: 'long unknown key, deep value',
      });
    }
    for (const required of tool.inputSchema.required ?? []) {
      const args = { ...base };
      delete args[required];
      cases.push({ tool: tool.name, args, expect: true, why: `missing required "${required}"` });
    }
  }
  return cases;
}

const CATASTROPHIC = [
  '/(a+)+$/',
  '/(x+x+)+y/',
  '/(a|aa)+$/',
  '/(a|a)*$/',
  '/.*a.*a.*a.*a.*b/',
  '/a*a*a*a*a*a*b/',
  '*a*a*a*a*a*a*a*a*a*a*b',
  '/(.*a){12}/',
];
const INVALID_REGEXES = ['/(/', '/[/', '/a{2,1}/', '/(?<=a/', '/\\/', '/*/', '/a)b/'];
const TRAVERSAL = [
  '../../x',
  '../x',
  'har/../../escape.har',
  '/etc/passwd',
  '/tmp/bidiscope-fuzz-escape.har',
  '..\\..\\x',
  'x\u0000y',
  '\u0000',
  '.',
  './',
  '..',
  `${'../'.repeat(40)}etc/passwd`,
];

/** Targeted cases: the semantics hostile input aims at, with the answer each must get. */
function hostileCases(site: TestSite): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const urlFilter of CATASTROPHIC) {
    cases.push({ tool: 'list_network_requests', args: { urlFilter }, expect: 'any', why: `catastrophic filter ${urlFilter}` });
    cases.push({
      tool: 'start_network_capture',
      args: { urlFilter },
      expect: true,
      why: `catastrophic filter ${urlFilter} while a capture is active`,
    });
  }
  for (const urlFilter of INVALID_REGEXES) {
    cases.push({
      tool: 'list_network_requests',
      args: { urlFilter },
      expect: true,
      why: `invalid regex ${urlFilter}`,
      match: /Invalid "urlFilter"/,
    });
    cases.push({
      tool: 'start_network_capture',
      args: { urlFilter },
      expect: true,
      why: `invalid regex ${urlFilter}`,
      match: /Invalid "urlFilter"/,
    });
  }
  const refusedUrls = [
    'javascript:alert(1)',
    'JavaScript:void(0)',
    'file:///etc/passwd',
    'file:///',
    'view-source:http://127.0.0.1/',
    'chrome://settings',
    'about:config',
    'about:preferences',
    'relative/path',
    '//127.0.0.1/x',
    '',
  ];
  for (const url of refusedUrls) {
    cases.push({ tool: 'navigate', args: { url }, expect: true, why: `url ${url}`, match: /Invalid "url"/ });
    cases.push({ tool: 'initialize_session', args: { url }, expect: true, why: `url ${url}`, match: /Invalid "url"/ });
  }
  cases.push({
    tool: 'initialize_session',
    args: { extraHeaders: { 'X-A': 'a\r\nInjected: 1' } },
    expect: true,
    why: 'CRLF in a header value',
    match: /extraHeaders/,
  });
  cases.push({ tool: 'navigate', args: { url: 'data:text/html,<title>fuzz</title>' }, expect: 'any', why: 'data: URL (allowed)' });
  cases.push({ tool: 'navigate', args: { url: `data:text/html,${'A'.repeat(40_000)}` }, expect: true, why: 'oversized data: URL' });
  cases.push({ tool: 'navigate', args: { url: `${site.origin}/blank` }, expect: 'any', why: 'back to the site' });
  for (const path of TRAVERSAL) {
    const inside = path === '..\\..\\x'; // a plain file name on POSIX: written inside the output dir
    cases.push({
      tool: 'export_har',
      args: { path },
      expect: inside ? 'any' : true,
      why: `path ${JSON.stringify(path)}`,
      ...(inside ? {} : { match: /outside the output directory|NUL|Invalid "path"|Could not write/ }),
    });
  }
  for (const path of TRAVERSAL) {
    cases.push({ tool: 'replay_har', args: { path }, expect: true, why: `replay path ${JSON.stringify(path)}`, match: /Invalid "path"/ });
  }
  for (const urlFilter of INVALID_REGEXES) {
    cases.push({
      tool: 'add_network_rule',
      args: { urlFilter, action: { type: 'block' } },
      expect: true,
      why: `rule with invalid regex ${urlFilter}`,
      match: /Invalid "urlFilter"/,
    });
  }
  cases.push({
    tool: 'add_network_rule',
    args: { urlFilter: '/x', action: { type: 'modify', setHeaders: { 'X-A': 'a\r\nInjected: 1' } } },
    expect: true,
    why: 'CRLF in a rule header',
    match: /setHeaders/,
  });
  cases.push({
    tool: 'add_network_rule',
    args: { urlFilter: '/x', action: { type: 'respond', status: 200, body: 'a', bodyBase64: 'YQ==' } },
    expect: true,
    why: 'text and base64 body',
    match: /bodyBase64/,
  });
  for (let i = 0; i < 20; i++) {
    const hex = Array.from({ length: 16 }, () => '0123456789abcdef'[int(0, 15)]).join('');
    cases.push({ tool: 'confirm_output', args: { token: `cfm_${hex}` }, expect: true, why: 'random well-formed token' });
    cases.push({ tool: 'confirm_output', args: { token: randomString(int(0, 40)) }, expect: true, why: 'random malformed token' });
  }
  const fn = { function: '(x) => typeof x' };
  cases.push({
    tool: 'evaluate_script',
    args: fn,
    rawArgs: withRaw(fn, 'args', `[${deepJson('array')}]`),
    expect: 'any',
    why: `${DEPTH}-deep argument`,
  });
  cases.push({
    tool: 'evaluate_script',
    args: { expression: 'let a = []; for (let i = 0; i < 10000; i++) a = [a]; a' },
    expect: 'any',
    why: 'deep result',
  });
  cases.push({ tool: 'evaluate_script', args: { expression: randomString(200) }, expect: 'any', why: 'garbage script' });
  // Unpaired surrogates: chromedriver drops a BiDi message carrying one, so they must be refused or replaced up front.
  cases.push({
    tool: 'evaluate_script',
    args: { expression: '"a\udca5b".length' },
    expect: true,
    why: 'lone surrogate in a script',
    match: /unpaired/,
  });
  cases.push({
    tool: 'navigate',
    args: { url: `${site.origin}/blank?\ud800` },
    expect: true,
    why: 'lone surrogate in a URL',
    match: /unpaired/,
  });
  cases.push({
    tool: 'evaluate_script',
    args: { function: '(s) => s.length', args: ['x\ud800y', { ['k\udc00']: 1 }] },
    expect: 'any',
    why: 'lone surrogate in arguments',
  });
  cases.push({ tool: 'list_network_requests', args: { status: '999-100' }, expect: true, why: 'reversed status range' });
  cases.push({ tool: 'list_network_requests', args: { offset: 1e300 }, expect: 'any', why: 'huge offset' });
  cases.push({ tool: 'get_request_details', args: { index: 1e300 }, expect: true, why: 'huge index' });
  cases.push({ tool: 'no_such_tool', args: {}, expect: true, why: 'unknown tool' });
  return cases;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Every file and directory below `dir`, relative to it, skipping `skip` (absolute). */
function treeOf(dir: string, skip: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === skip) continue;
    found.push(relative(root, path));
    if (statSync(path).isDirectory()) found.push(...treeOf(path, skip, root));
  }
  return found.sort();
}

function fingerprint(path: string): string {
  const stat = statSync(path);
  return `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${stat.mtimeMs} ${stat.size}`;
}

/** What a tools/call answer looks like on the wire. */
interface WireResult {
  content?: unknown;
  isError?: unknown;
}

/**
 * Sends pre-serialized JSON-RPC requests on the SDK client's own stdio connection and picks their answers out before
 * the client sees them (their ids are ours, not the client's).
 */
class RawChannel {
  #counter = 0;
  readonly #waiting = new Map<string, (message: { result?: WireResult; error?: unknown }) => void>();

  constructor(private readonly server: ServerUnderTest) {
    const transport = server.client.transport;
    if (!transport) throw new Error('the client is not connected');
    const original = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const id = (message as { id?: unknown }).id;
      const waiter = typeof id === 'string' ? this.#waiting.get(id) : undefined;
      if (waiter) waiter(message as { result?: WireResult; error?: unknown });
      else original?.(message, extra);
    };
  }

  async call(tool: string, argumentsJson: string, timeoutMs: number): Promise<WireResult> {
    const id = `fuzz-raw-${++this.#counter}`;
    const line = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":${JSON.stringify(tool)},"arguments":${argumentsJson}}}\n`;
    const stdin = (this.server.client.transport as unknown as { _process?: { stdin?: NodeJS.WritableStream } })._process?.stdin;
    if (!stdin) throw new Error('no stdin to write to');
    const answer = new Promise<{ result?: WireResult; error?: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(id, (message) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(message);
      });
    });
    stdin.write(line);
    const message = await answer;
    if (message.error !== undefined || !message.result)
      throw new Error(`protocol error instead of a tool result: ${JSON.stringify(message.error)}`);
    return message.result;
  }
}

let site: TestSite;
let server: ServerUnderTest;
let base: string;
let outputDir: string;
before(async () => {
  site = await startTestSite();
  base = mkdtempSync(join(tmpdir(), 'bidiscope-fuzz-'));
  outputDir = join(base, 'a', 'b', 'out');
  mkdirSync(outputDir, { recursive: true });
});
after(async () => {
  await site.close();
  rmSync(base, { recursive: true, force: true });
});

test('every tool survives hundreds of hostile inputs', async (t) => {
  t.diagnostic(`fuzz seed ${SEED} (replay with BIDISCOPE_FUZZ_SEED=${SEED})`);
  const passwd = fingerprint('/etc/passwd');
  const baseTree = treeOf(base, outputDir);
  const topLevel = { tmp: readdirSync(tmpdir()).sort(), root: readdirSync('/').sort(), repo: readdirSync(REPO_ROOT).sort() };
  // --max-sessions 1 with one session open: an initialize_session that slips through validation cannot start a browser.
  server = await startServer({ args: ['--output-dir', outputDir, '--max-sessions', '1'] });
  try {
    const opened = await server.call('initialize_session', { browser: 'chrome' });
    assert.equal(opened.isError, false, opened.text);
    const sessionId = String(opened.structured?.sessionId);
    const started = await server.call('start_network_capture', { captureBodies: 'all' });
    assert.equal(started.isError, false, started.text);
    // URLs made for the catastrophic filters: long runs of the characters they backtrack on.
    const bait = `${site.origin}/blank?${'a'.repeat(3000)}!${'x'.repeat(3000)}`;
    const nav = await server.call('navigate', { url: bait });
    assert.equal(nav.isError, false, nav.text);
    await server.call('evaluate_script', { expression: `fetch('/api/json').then((r) => r.text()).then(() => true)` });
    await waitFor('the capture to settle', async () => {
      const counts = await captureCounts(server, sessionId);
      return counts.responses >= 2 && counts.bodiesPending === 0 ? true : undefined;
    });

    const raw = new RawChannel(server);
    const { tools } = (await server.client.listTools()) as { tools: ToolSchema[] };
    assert.ok(tools.length >= 13, `tools/list returned ${tools.length} tools`);
    const cases = [...hostileCases(site), ...shuffle(schemaCases(tools, site))];
    const perTool = new Map<string, number>();
    let slowest = { ms: 0, why: '' };
    for (const [index, item] of cases.entries()) {
      const label = `#${index} ${item.tool} ${item.why} (seed ${SEED})`;
      const began = Date.now();
      let result: WireResult;
      try {
        result =
          item.rawArgs === undefined
            ? ((await server.client.callTool({ name: item.tool, arguments: item.args }, undefined, {
                timeout: CALL_BOUND_MS,
              })) as WireResult)
            : await raw.call(item.tool, item.rawArgs, CALL_BOUND_MS);
      } catch (error) {
        assert.fail(
          `${label} got no tool result after ${Date.now() - began} ms: ${String(error)}; args ${JSON.stringify(item.args).slice(0, 300)}`,
        );
      }
      const ms = Date.now() - began;
      if (ms > slowest.ms) slowest = { ms, why: label };
      assert.ok(ms < CALL_BOUND_MS, `${label} took ${ms} ms`);
      assert.ok(Array.isArray(result.content) && result.content.length > 0, `${label}: no content`);
      for (const part of result.content as Array<{ type?: unknown; text?: unknown }>) {
        assert.equal(part.type, 'text', `${label}: content item is not text`);
        assert.equal(typeof part.text, 'string', `${label}: text is not a string`);
        assert.ok((part.text as string).length > 0, `${label}: empty text`);
      }
      assert.ok(result.isError === undefined || typeof result.isError === 'boolean', `${label}: isError is not boolean`);
      if (item.expect === true) {
        const text = (result.content as Array<{ text: string }>)
          .map((part) => part.text)
          .join('\n')
          .slice(0, 300);
        assert.equal(result.isError, true, `${label} was accepted: ${text}`);
        if (item.match) assert.match(text, item.match, label);
      }
      perTool.set(item.tool, (perTool.get(item.tool) ?? 0) + 1);
      if (index % 50 === 0) assert.ok(isAlive(server.pid), `the server died at ${label}`);
    }
    t.diagnostic(
      `${cases.length} calls; slowest ${slowest.ms} ms (${slowest.why}); per tool ${JSON.stringify(Object.fromEntries(perTool))}`,
    );
    for (const tool of tools) assert.ok((perTool.get(tool.name) ?? 0) > 0, `${tool.name} was never fuzzed`);

    assert.ok(isAlive(server.pid), 'the server died');
    const listed = await server.call('list_sessions');
    assert.equal(listed.isError, false, listed.text);
    const sessions = listed.structured?.sessions as Array<Record<string, unknown>>;
    assert.deepEqual(
      sessions.map((session) => [session.sessionId, session.state]),
      [[sessionId, 'open']],
    );
    const still = await server.call('evaluate_script', { expression: '6 * 7' });
    assert.equal(still.structured?.result, 42, still.text);

    assert.equal(fingerprint('/etc/passwd'), passwd, '/etc/passwd changed');
    assert.deepEqual(treeOf(base, outputDir), baseTree, 'files appeared next to the output dir');
    assert.deepEqual(
      readdirSync(tmpdir()).filter((name) => /escape|^x$|passwd/.test(name) && !topLevel.tmp.includes(name)),
      [],
    );
    assert.deepEqual(
      readdirSync('/').filter((name) => !topLevel.root.includes(name)),
      [],
      'files appeared in /',
    );
    assert.deepEqual(
      readdirSync(REPO_ROOT).filter((name) => !topLevel.repo.includes(name) && /escape|^x$|passwd/.test(name)),
      [],
    );
    assert.equal(existsSync('/tmp/bidiscope-fuzz-escape.har'), false);
  } finally {
    await server.close();
  }
  const left = await waitForNoProcessesMentioning(`${server.tempRoot}/bidiscope-`);
  assert.deepEqual(left, [], `processes left behind: ${JSON.stringify(left)}`);
  assert.deepEqual(leftoverTempDirs(server.tempRoot), []);
  removeTestDirs(server);
});
