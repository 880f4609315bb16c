/**
 * The standalone binary (`dist/bidiscope`, built with Bun): copied alone into an empty directory (no node_modules,
 * with a hostile `.env`, `bunfig.toml` and preload script next to it) and driven by the MCP SDK client over stdio on
 * Chromium and Firefox. Where `unshare -n` works, the binary runs in a fresh network namespace that has only a loopback
 * interface; the test site is started inside the same namespace by test/helpers/netns-run.ts (a new namespace has its
 * own loopback, so a site in the test process would be unreachable from there).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VERSION } from '../../src/version.js';
import { startTestSite, type TestSite } from '../site/server.js';
import { BINARY_PATH, ensureBinary, netnsAvailable, TSX_IMPORT } from '../helpers/binary.js';
import { BROWSERS, REPO_ROOT, removeTestDirs, startServer } from '../helpers/mcp-server.js';
import { closeAndAssertGone, runShortScenario } from '../helpers/scenario.js';

// BIDISCOPE_TEST_NETNS=0 forces the host-network variant (for machines where unshare misbehaves).
const NETNS = process.env.BIDISCOPE_TEST_NETNS !== '0' && netnsAvailable();
const NETNS_RUN = join(REPO_ROOT, 'test', 'helpers', 'netns-run.ts');
const PRELOAD_MARKER = 'PRELOAD-RAN';

let binDir = '';
let binary = '';

before(() => {
  const build = ensureBinary();
  if (build.built) process.stderr.write(`binary.test: built ${BINARY_PATH} in ${build.ms} ms\n`);
  binDir = mkdtempSync(join(tmpdir(), 'bidiscope-bin-'));
  binary = join(binDir, 'bidiscope');
  copyFileSync(BINARY_PATH, binary);
  // Junk a default Bun executable would pick up from its working directory: .env (values that make bidiscope exit 2
  // if read) and bunfig.toml with a preload script (which would run code before bidiscope).
  writeFileSync(join(binDir, '.env'), 'BIDISCOPE_BROWSER=safari\nBIDISCOPE_MAX_SESSIONS=not-a-number\n');
  writeFileSync(join(binDir, 'bunfig.toml'), 'preload = ["./preload.ts"]\n[run]\npreload = ["./preload.ts"]\n');
  writeFileSync(join(binDir, 'preload.ts'), `require('node:fs').writeFileSync(${JSON.stringify(join(binDir, PRELOAD_MARKER))}, 'x');\n`);
});

after(() => {
  if (binDir) rmSync(binDir, { recursive: true, force: true });
});

/** Runs the copied binary from its directory with a minimal environment. */
function runBinary(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(binary, args, {
    cwd: binDir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the binary sits alone in an empty directory: no node_modules, no package.json', () => {
  const entries = readdirSync(binDir).sort();
  assert.deepEqual(entries, ['.env', 'bidiscope', 'bunfig.toml', 'preload.ts']);
  assert.equal(existsSync(join(binDir, 'node_modules')), false);
});

test('--version names the version and the Bun runtime; --help lists flags and BIDISCOPE_* variables', () => {
  const version = runBinary(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, new RegExp(`^bidiscope ${VERSION.replaceAll('.', '\\.')} \\(bun \\d+\\.\\d+\\.\\d+, linux-x64\\)\\n$`));
  const help = runBinary(['--help']);
  assert.equal(help.status, 0, help.stderr);
  for (const flag of ['--browser', '--chrome-path', '--chromedriver-path', '--firefox-path', '--output-dir', '--version', '--help']) {
    assert.ok(help.stdout.includes(flag), `--help lacks ${flag}`);
  }
  assert.match(help.stdout, /BIDISCOPE_BROWSER/);
  assert.match(help.stdout, /BIDISCOPE_CHROME_PATH/);
});

test('.env and bunfig.toml in the working directory are ignored', () => {
  const clean = runBinary(['--version']);
  assert.equal(clean.status, 0, `the binary read the .env or bunfig.toml in its cwd: ${clean.stderr}`);
  assert.equal(existsSync(join(binDir, PRELOAD_MARKER)), false, 'bunfig.toml preload ran');
  // Control: the same value through the real environment is read (and rejected), so the .env really was ignored.
  const control = runBinary(['--version'], { BIDISCOPE_BROWSER: 'safari' });
  assert.equal(control.status, 2);
  assert.match(control.stderr, /--browser must be chrome or firefox, got "safari"/);
});

describe(`MCP sessions through the binary${NETNS ? ' in an isolated network namespace (unshare -n)' : ' (host network: unshare -n not used)'}`, () => {
  let site: TestSite | undefined;
  before(async () => {
    if (!NETNS) site = await startTestSite();
  });
  after(async () => {
    await site?.close();
  });

  for (const browser of BROWSERS) {
    test(`${browser}: initialize → navigate → evaluate title → list → close, nothing left`, async (t) => {
      // In a fresh namespace every port is free; stay clear of ports browsers refuse.
      const sitePort = 20_000 + Math.floor(Math.random() * 30_000);
      const origin = NETNS ? `http://127.0.0.1:${sitePort}` : (site?.origin ?? '');
      const command = NETNS
        ? { command: 'unshare', args: ['-n', process.execPath, '--import', TSX_IMPORT, NETNS_RUN, String(sitePort), binary] }
        : { command: binary, args: [] };
      if (!NETNS)
        t.diagnostic('unshare -n not used (needs root or user namespaces, or BIDISCOPE_TEST_NETNS=0): running on the host network');
      // Only the MCP SDK's default variables (HOME, LOGNAME, PATH, SHELL, TERM, USER) plus the private TMPDIR.
      const server = await startServer({ command, cwd: binDir, baseEnv: {} });
      try {
        if (NETNS)
          assert.notEqual(
            readlinkSync(`/proc/${server.pid}/ns/net`),
            readlinkSync('/proc/self/ns/net'),
            'the binary shares our network namespace',
          );
        await runShortScenario(server, browser, origin);
        if (NETNS) assert.match(server.stderr(), /netns-run: interfaces \[lo\]/);
        assert.match(server.stderr(), /serving MCP over stdio \(bun /);
      } finally {
        await closeAndAssertGone(server);
        removeTestDirs(server);
      }
      assert.equal(existsSync(join(binDir, PRELOAD_MARKER)), false, 'bunfig.toml preload ran');
    });
  }
});
