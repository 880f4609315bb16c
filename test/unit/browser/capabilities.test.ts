import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeCapabilities } from '../../../src/browser/capabilities.js';
import { chromeQuietArgs } from '../../../src/browser/chrome.js';
import { displayEndpoint, gridSlots } from '../../../src/browser/endpoint-status.js';
import { firefoxUserJs } from '../../../src/browser/firefox.js';
import type { LaunchOptions } from '../../../src/browser/launch-options.js';
import { webdriverCapabilities } from '../../../src/browser/remote.js';

/** The preferences a `user.js` sets, read back from its `user_pref(name, value);` lines. */
function userJsPrefs(text: string): Record<string, unknown> {
  const prefs: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    const match = /^user_pref\((".*?"), (.*)\);$/.exec(line);
    assert.ok(match?.[1] && match[2], `a user_pref line: ${line}`);
    prefs[JSON.parse(match[1]) as string] = JSON.parse(match[2]);
  }
  return prefs;
}

test('a Firefox on a WebDriver endpoint gets the same preferences as the profile of one bidiscope starts', () => {
  for (const userAgent of [undefined, 'bidiscope-test/1.0']) {
    const options: LaunchOptions = { browser: 'firefox', headless: true, ...(userAgent ? { userAgent } : {}) };
    const local = userJsPrefs(firefoxUserJs(options));
    const remote = webdriverCapabilities(options)['moz:firefoxOptions'] as { args: string[]; prefs: Record<string, unknown> };
    assert.deepEqual(remote.prefs, local);
    assert.deepEqual(remote.args, ['-headless']);
    assert.equal(local['dom.ipc.processPrelaunch.enabled'], false);
    assert.equal(local['devtools.jsonview.enabled'], false);
    assert.equal(local['general.useragent.override'], userAgent);
  }
});

test('a Chromium on a WebDriver endpoint gets the quiet flags of one bidiscope starts', () => {
  const options: LaunchOptions = { browser: 'chrome', headless: true, userAgent: 'bidiscope-test/1.0' };
  const remote = webdriverCapabilities(options)['goog:chromeOptions'] as { args: string[] };
  const quiet = chromeQuietArgs(options);
  assert.deepEqual(
    remote.args.filter((arg) => arg !== '--no-sandbox'),
    quiet,
  );
  assert.ok(quiet.includes('--user-agent=bidiscope-test/1.0'));
});

test('extra capabilities are added; vendor option objects merge with args concatenated, bidiscope first', () => {
  const base = {
    browserName: 'chrome',
    webSocketUrl: true,
    acceptInsecureCerts: false,
    'goog:chromeOptions': { args: ['--headless=new'], binary: '/a' },
  };
  const merged = mergeCapabilities(base, {
    'se:name': 'x',
    acceptInsecureCerts: true,
    'goog:chromeOptions': { args: ['--lang=de'], prefs: { a: 1 } },
  });
  assert.deepEqual(merged, {
    browserName: 'chrome',
    webSocketUrl: true,
    acceptInsecureCerts: true,
    'se:name': 'x',
    'goog:chromeOptions': { args: ['--headless=new', '--lang=de'], binary: '/a', prefs: { a: 1 } },
  });
  assert.deepEqual(base['goog:chromeOptions'].args, ['--headless=new'], 'the input is not changed');
  const firefox = {
    'moz:firefoxOptions': { args: ['-headless'], prefs: { 'devtools.jsonview.enabled': false, 'intl.accept_languages': 'en' } },
  };
  assert.deepEqual(mergeCapabilities(firefox, { 'moz:firefoxOptions': { prefs: { 'intl.accept_languages': 'de' } } }), {
    'moz:firefoxOptions': { args: ['-headless'], prefs: { 'devtools.jsonview.enabled': false, 'intl.accept_languages': 'de' } },
  });
  assert.deepEqual(mergeCapabilities(base, undefined), base);
});

test("a grid's /status gives busy and total slots; anything else gives undefined", () => {
  const status = {
    value: {
      ready: false,
      nodes: [{ slots: [{ session: { sessionId: 'a' } }, { session: null }] }, { slots: [{ session: { sessionId: 'b' } }] }],
    },
  };
  assert.deepEqual(gridSlots(status), { busy: 2, total: 3 });
  assert.equal(gridSlots({ value: { ready: true, message: 'ChromeDriver ready for new sessions.' } }), undefined);
  assert.equal(gridSlots(undefined), undefined);
});

test('endpoints are shown without credentials', () => {
  assert.equal(displayEndpoint(new URL('https://user:key@hub.example.com/wd/hub')), 'https://hub.example.com/wd/hub');
  assert.equal(displayEndpoint(new URL('http://127.0.0.1:4444')), 'http://127.0.0.1:4444');
});
