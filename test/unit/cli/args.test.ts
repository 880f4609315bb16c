/**
 * The command line and its BIDISCOPE_* environment equivalents. Each flag is one table row (flag form, environment
 * form, what it sets), so a new flag is one more row.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HELP_TEXT, parseCli, UsageError, type CliOptions } from '../../../src/cli/args.js';

const CWD = '/home/user/project';
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}): CliOptions => parseCli(argv, env, CWD);

test('defaults: chrome, headless, ./.bidiscope, 8 sessions, stdio', () => {
  assert.deepEqual(parse([]), {
    browser: 'chrome',
    headless: true,
    outputDir: '/home/user/project/.bidiscope',
    maxSessions: 8,
    allowAbsolutePaths: false,
    showVersion: false,
    showHelp: false,
  });
});

/** [flag argv, environment, the options it sets]. */
const SETTINGS: Array<[string[], NodeJS.ProcessEnv, Partial<CliOptions>]> = [
  [['--browser', 'firefox'], { BIDISCOPE_BROWSER: 'firefox' }, { browser: 'firefox' }],
  [['--headed'], { BIDISCOPE_HEADLESS: '0' }, { headless: false }],
  [['--output-dir', 'out'], { BIDISCOPE_OUTPUT_DIR: 'out' }, { outputDir: '/home/user/project/out' }],
  [['--output-dir', '/abs/out'], { BIDISCOPE_OUTPUT_DIR: '/abs/out' }, { outputDir: '/abs/out' }],
  [['--max-sessions', '64'], { BIDISCOPE_MAX_SESSIONS: '64' }, { maxSessions: 64 }],
  [['--allow-absolute-paths'], { BIDISCOPE_ALLOW_ABSOLUTE_PATHS: '1' }, { allowAbsolutePaths: true }],
  [
    ['--webdriver-url', 'http://127.0.0.1:4444'],
    { BIDISCOPE_WEBDRIVER_URL: 'http://127.0.0.1:4444' },
    { webdriverUrl: 'http://127.0.0.1:4444' },
  ],
  [
    ['--bidi-url', 'ws://127.0.0.1:9222/session'],
    { BIDISCOPE_BIDI_URL: 'ws://127.0.0.1:9222/session' },
    { bidiUrl: 'ws://127.0.0.1:9222/session' },
  ],
  [['--http', '8765'], { BIDISCOPE_HTTP_PORT: '8765' }, { httpPort: 8765 }],
  [
    ['--http', '8765', '--http-token', 'a-token-of-24-characters'],
    { BIDISCOPE_HTTP_PORT: '8765', BIDISCOPE_HTTP_TOKEN: 'a-token-of-24-characters' },
    { httpPort: 8765, httpToken: 'a-token-of-24-characters' },
  ],
];

describe('each setting, as a flag and as an environment variable', () => {
  for (const [argv, env, expected] of SETTINGS) {
    test(argv.join(' '), () => {
      const base = parse([]);
      assert.deepEqual(parse(argv), { ...base, ...expected });
      assert.deepEqual(parse([], env), { ...base, ...expected });
    });
  }
  test('executable paths are flags (the finder reads their environment variables itself)', () => {
    const parsed = parse(['--chrome-path', '/c', '--chromedriver-path', '/d', '--firefox-path', '/f']);
    assert.deepEqual([parsed.chromePath, parsed.chromedriverPath, parsed.firefoxPath], ['/c', '/d', '/f']);
  });
});

test('flags win over the environment', () => {
  const parsed = parse(['--browser', 'chrome', '--headless', '--max-sessions', '2'], {
    BIDISCOPE_BROWSER: 'firefox',
    BIDISCOPE_HEADLESS: '0',
    BIDISCOPE_MAX_SESSIONS: '5',
  });
  assert.deepEqual([parsed.browser, parsed.headless, parsed.maxSessions], ['chrome', true, 2]);
});

test('BIDISCOPE_HEADLESS: 0, false and no mean headed; anything else headless', () => {
  for (const value of ['0', 'false', 'NO']) assert.equal(parse([], { BIDISCOPE_HEADLESS: value }).headless, false, value);
  for (const value of ['1', 'true', 'yes', '']) assert.equal(parse([], { BIDISCOPE_HEADLESS: value }).headless, true, value);
});

test('--help / -h and --version', () => {
  assert.equal(parse(['-h']).showHelp, true);
  assert.equal(parse(['--help']).showHelp, true);
  assert.equal(parse(['--version']).showVersion, true);
  for (const [argv] of SETTINGS) assert.ok(HELP_TEXT.includes(argv[0] ?? ''), `--help mentions ${argv[0]}`);
});

/** [argv, environment, the usage error]. */
const MISTAKES: Array<[string[], NodeJS.ProcessEnv, string | RegExp]> = [
  [['--browser', 'safari'], {}, '--browser must be chrome or firefox, got "safari"'],
  [[], { BIDISCOPE_BROWSER: 'edge' }, '--browser must be chrome or firefox, got "edge"'],
  [['--headless', '--headed'], {}, '--headless and --headed contradict each other'],
  [['--max-sessions', '0'], {}, '--max-sessions must be a whole number from 1 to 64, got "0"'],
  [['--max-sessions', '65'], {}, '--max-sessions must be a whole number from 1 to 64, got "65"'],
  [[], { BIDISCOPE_MAX_SESSIONS: 'many' }, '--max-sessions must be a whole number from 1 to 64, got "many"'],
  [['--http', '70000'], {}, '--http must be a whole number from 1 to 65535, got "70000"'],
  [['--http', '1.5'], {}, '--http must be a whole number from 1 to 65535, got "1.5"'],
  [['--http-token', 'a-token-of-24-characters'], {}, '--http-token needs --http PORT'],
  [['--http', '8765', '--http-token', 'short'], {}, /^--http-token /],
  [['--webdriver-url', 'not a url'], {}, '--webdriver-url must be an absolute URL (http: or https:), got "not a url"'],
  [['--webdriver-url', 'ws://127.0.0.1:4444'], {}, '--webdriver-url must use http: or https:, got "ws:"'],
  [['--bidi-url', 'http://127.0.0.1:9222'], {}, '--bidi-url must use ws: or wss:, got "http:"'],
  [['--webdriver-url', 'http://h:1', '--bidi-url', 'ws://h:2'], {}, '--webdriver-url and --bidi-url are alternatives; give one'],
  [['--colour'], {}, /^Unknown option '--colour'/],
  [['extra'], {}, /positional argument/],
  [['--browser'], {}, /argument missing/],
];

describe('mistakes are usage errors that say what is wrong', () => {
  for (const [argv, env, expected] of MISTAKES) {
    test(
      `${argv.join(' ')} ${Object.entries(env)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(' ')}`.trim(),
      () => {
        assert.throws(
          () => parse(argv, env),
          (error: unknown) => {
            assert.ok(error instanceof UsageError, String(error));
            if (typeof expected === 'string') assert.equal(error.message, expected);
            else assert.match(error.message, expected);
            return true;
          },
        );
      },
    );
  }
});
