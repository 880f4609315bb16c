import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeCapabilities } from '../../../src/browser/capabilities.js';
import { displayEndpoint, gridSlots } from '../../../src/browser/endpoint-status.js';

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
