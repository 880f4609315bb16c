/**
 * Every place bidiscope reaches into WebdriverIO's internals, in one file, with why. WebdriverIO 9 has no public API
 * for either; `test/unit/browser/webdriverio-internals.test.ts` runs both against the installed `webdriver` package
 * (a real classic session and BiDi connection on loopback) and fails when a release changes them.
 *
 * - A classic session made by `WebDriver.newSession` keeps its `BidiHandler` in the private field `_bidiHandler`.
 *   Reusing it (instead of opening a second connection) keeps one BiDi connection per session.
 * - The handler and the client each listen to the socket's `message` event with a bound method, so every message is
 *   parsed twice more; `message-routing.ts` finds them by these names to parse each message once (measured: the
 *   largest per-event cost on Chromium). When the names are not found, routing stays off and bidiscope says so once.
 */
import type { BidiHandler } from 'webdriver';

/** The names WebdriverIO 9's socket listeners have: the handler's response matcher, the client's event re-emitter. */
export const HANDLER_LISTENER_NAME = 'bound #handleResponse';
export const CLIENT_REEMITTER_NAME = 'bound parseBidiMessage';

/** The classic session's own BiDi handler, when WebdriverIO made one. */
export function sessionBidiHandler(client: object): BidiHandler | undefined {
  return (client as { _bidiHandler?: BidiHandler })._bidiHandler;
}
