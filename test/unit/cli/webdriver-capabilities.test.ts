import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli, UsageError } from '../../../src/cli/args.js';
import { MAX_CAPABILITIES_LENGTH, parseWebDriverCapabilities } from '../../../src/cli/capabilities.js';

const problemOf = (text: string): string => {
  const parsed = parseWebDriverCapabilities(text);
  assert.ok('problem' in parsed, `expected a problem for ${text}`);
  return parsed.problem;
};

test('a JSON object of W3C and vendor capabilities is accepted as given', () => {
  const text = JSON.stringify({
    'se:name': 'nightly',
    'bstack:options': { userName: 'u', accessKey: 'k' },
    platformName: 'linux',
    'goog:chromeOptions': { args: ['--lang=de'] },
  });
  assert.deepEqual(parseWebDriverCapabilities(text), { capabilities: JSON.parse(text) });
  assert.deepEqual(parseWebDriverCapabilities('{}'), { capabilities: {} });
});

test('anything but a JSON object is refused, naming what it got', () => {
  assert.match(problemOf('not json'), /must be a JSON object.*not valid JSON/);
  assert.match(problemOf('[1]'), /got an array/);
  assert.match(problemOf('null'), /got null/);
  assert.match(problemOf('"se:name"'), /got a string/);
  assert.match(problemOf(' '.repeat(MAX_CAPABILITIES_LENGTH + 1)), /at most 65536 characters/);
});

test('webSocketUrl, browserName and the W3C wrapper cannot be set; unknown unprefixed keys are refused', () => {
  assert.match(problemOf('{"webSocketUrl":false}'), /may not set "webSocketUrl": .*no BiDi session/);
  assert.match(problemOf('{"browserName":"firefox"}'), /may not set "browserName": the browser is chosen per session/);
  assert.match(problemOf('{"alwaysMatch":{}}'), /not the W3C request wrapper/);
  assert.match(problemOf('{"firstMatch":[]}'), /not the W3C request wrapper/);
  assert.match(problemOf('{"accessKey":"x"}'), /"accessKey" is neither a W3C capability nor a vendor extension/);
  assert.match(problemOf('{"se:":"x"}'), /neither a W3C capability/);
});

test('problems never repeat a value (they may be secret)', () => {
  const problem = problemOf('{"acme:options":{"accessKey":"hunter2-secret"}, "nope":1}');
  assert.doesNotMatch(problem, /hunter2/);
  assert.doesNotMatch(problemOf('{"key": "hunter2-secret"'), /hunter2/);
});

test('the flag and the environment variable reach CliOptions; the flag wins; both need --webdriver-url', () => {
  const url = ['--webdriver-url', 'http://127.0.0.1:4444'];
  const fromFlag = parseCli(
    [...url, '--webdriver-capabilities', '{"se:name":"a"}'],
    { BIDISCOPE_WEBDRIVER_CAPABILITIES: '{"se:name":"b"}' },
    '/',
  );
  assert.deepEqual(fromFlag.webdriverCapabilities, { 'se:name': 'a' });
  const fromEnv = parseCli(url, { BIDISCOPE_WEBDRIVER_CAPABILITIES: '{"se:name":"b"}' }, '/');
  assert.deepEqual(fromEnv.webdriverCapabilities, { 'se:name': 'b' });
  assert.throws(() => parseCli(['--webdriver-capabilities', '{}'], {}, '/'), /--webdriver-capabilities needs --webdriver-url/);
  assert.equal(
    parseCli([], { BIDISCOPE_WEBDRIVER_CAPABILITIES: '{"se:name":"b"}' }, '/').webdriverCapabilities,
    undefined,
    'ignored without an endpoint',
  );
  assert.throws(
    () => parseCli([...url, '--webdriver-capabilities', '[]'], {}, '/'),
    (error: unknown) => error instanceof UsageError && /^--webdriver-capabilities must be a JSON object/.test(error.message),
  );
  assert.throws(
    () => parseCli(url, { BIDISCOPE_WEBDRIVER_CAPABILITIES: '{"webSocketUrl":true}' }, '/'),
    /BIDISCOPE_WEBDRIVER_CAPABILITIES may not set "webSocketUrl"/,
  );
});

test('a bad --webdriver-url is refused without repeating its credentials', () => {
  assert.throws(
    () => parseCli(['--webdriver-url', 'ftp://user:hunter2@host/'], {}, '/'),
    (error: unknown) =>
      error instanceof UsageError && /must use http: or https:, got "ftp:"/.test(error.message) && !error.message.includes('hunter2'),
  );
  assert.throws(
    () => parseCli(['--webdriver-url', 'hunter2@host'], {}, '/'),
    (error: unknown) => error instanceof UsageError && /must be an absolute URL/.test(error.message) && !error.message.includes('hunter2'),
  );
});
