/**
 * `--webdriver-capabilities` / `BIDISCOPE_WEBDRIVER_CAPABILITIES`: extra W3C capabilities merged into every
 * new-session request sent to a WebDriver endpoint (a Selenium Grid's `se:*` options, a cloud vendor's options).
 * Pure: parsing and validation only.
 */

/** W3C capabilities without a vendor prefix (WebDriver classic and BiDi). */
const STANDARD_CAPABILITIES: ReadonlySet<string> = new Set([
  'browserVersion',
  'platformName',
  'acceptInsecureCerts',
  'pageLoadStrategy',
  'proxy',
  'setWindowRect',
  'timeouts',
  'strictFileInteractability',
  'unhandledPromptBehavior',
  'userAgent',
]);

/** Keys bidiscope sets itself and an operator may not change, with the reason shown in the error. */
const REFUSED_KEYS: ReadonlyMap<string, string> = new Map([
  ['webSocketUrl', 'bidiscope always asks for webSocketUrl: true; without it there is no BiDi session'],
  ['browserName', 'the browser is chosen per session (initialize_session browser, or --browser)'],
  ['alwaysMatch', 'give the capabilities themselves, not the W3C request wrapper'],
  ['firstMatch', 'give the capabilities themselves, not the W3C request wrapper'],
]);

/** Longest accepted JSON text, characters. */
export const MAX_CAPABILITIES_LENGTH = 65_536;

/** The parsed capabilities, or a problem phrased for a usage error (it never repeats a value: they may be secret). */
export type CapabilitiesParse = { capabilities: Record<string, unknown> } | { problem: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and validates the JSON text: a JSON object whose keys are W3C capabilities or vendor extensions
 * (`prefix:name`), without `webSocketUrl` or `browserName`.
 */
export function parseWebDriverCapabilities(text: string): CapabilitiesParse {
  if (text.length > MAX_CAPABILITIES_LENGTH) return { problem: `must be at most ${MAX_CAPABILITIES_LENGTH} characters of JSON` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'must be a JSON object, e.g. {"se:name":"nightly"}; the text is not valid JSON' };
  }
  if (!isPlainObject(value))
    return {
      problem: `must be a JSON object, e.g. {"se:name":"nightly"}; got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`,
    };
  for (const key of Object.keys(value)) {
    const refused = REFUSED_KEYS.get(key);
    if (refused !== undefined) return { problem: `may not set "${key}": ${refused}` };
    if (STANDARD_CAPABILITIES.has(key)) continue;
    if (!/^[A-Za-z0-9_.-]+:[^\s:][^\s]*$/.test(key)) {
      return {
        problem: `"${key}" is neither a W3C capability nor a vendor extension (extensions look like "se:name" or "bstack:options")`,
      };
    }
  }
  return { capabilities: value };
}
