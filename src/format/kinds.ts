/** Short names for content kinds, used to say "what is this" in a few bytes. */
import { bodyMimeType, mimeEssence, namesNoType } from '../model/body-kind.js';
import type { NetworkEntry, ResourceType } from '../model/types.js';

const MIME_KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^text\/event-stream/, 'sse'],
  [/json/, 'json'],
  [/^text\/html/, 'html'],
  [/^text\/css/, 'css'],
  [/javascript|ecmascript/, 'js'],
  [/^image\/png/, 'png'],
  [/^image\/jpe?g/, 'jpg'],
  [/^image\/gif/, 'gif'],
  [/^image\/svg/, 'svg'],
  [/^image\/webp/, 'webp'],
  [/^image\/avif/, 'avif'],
  [/^image\/(x-icon|vnd\.microsoft\.icon)/, 'ico'],
  [/^image\//, 'img'],
  [/woff2/, 'woff2'],
  [/woff/, 'woff'],
  [/^font\//, 'font'],
  [/wasm/, 'wasm'],
  [/xml/, 'xml'],
  [/x-www-form-urlencoded/, 'form'],
  [/^multipart\//, 'multipart'],
  [/^text\/plain/, 'text'],
  [/^text\//, 'text'],
  [/^video\//, 'video'],
  [/^audio\//, 'audio'],
  [/octet-stream/, 'bin'],
];

/** `application/json; charset=utf-8` → `json`; `undefined` for no or uninformative types. */
export function mimeKind(mimeType: string | undefined): string | undefined {
  if (mimeType === undefined) return undefined;
  const essence = mimeEssence(mimeType);
  if (namesNoType(essence)) return undefined;
  for (const [pattern, kind] of MIME_KINDS) if (pattern.test(essence)) return kind;
  const subtype = essence.slice(essence.indexOf('/') + 1);
  return subtype.length > 12 ? subtype.slice(0, 12) : subtype;
}

const EXTENSION_KINDS: Readonly<Record<string, string>> = {
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  css: 'css',
  png: 'png',
  jpg: 'jpg',
  jpeg: 'jpg',
  gif: 'gif',
  svg: 'svg',
  webp: 'webp',
  avif: 'avif',
  ico: 'ico',
  woff2: 'woff2',
  woff: 'woff',
  html: 'html',
  htm: 'html',
  json: 'json',
  wasm: 'wasm',
  xml: 'xml',
  txt: 'text',
};

/** The kind a URL's path extension implies (`/logo.png` → `png`), if any. */
function urlExtensionKind(url: string): string | undefined {
  const path = url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '').split(/[?#]/)[0] ?? '';
  const extensionMatch = /\.([A-Za-z0-9]{1,6})$/.exec(path);
  const extension = extensionMatch?.[1]?.toLowerCase();
  return extension === undefined ? undefined : EXTENSION_KINDS[extension];
}

/** Abbreviations for resource types when no MIME type says more; fetch/other say nothing worth bytes. */
const RESOURCE_TYPE_ABBREVIATIONS: Readonly<Record<ResourceType, string | undefined>> = {
  document: 'doc',
  script: 'js',
  stylesheet: 'css',
  image: 'img',
  font: 'font',
  fetch: undefined,
  xhr: 'xhr',
  websocket: undefined,
  eventsource: undefined,
  media: 'media',
  other: undefined,
};

/**
 * The kind word for a list line, or `undefined` when it would say nothing new: the response MIME kind unless the
 * URL's extension already implies it; without a MIME type, the resource type when it is not fetch/other.
 */
export function listKind(entry: NetworkEntry): string | undefined {
  const kind = mimeKind(bodyMimeType(entry, 'response'));
  if (kind !== undefined) return kind === urlExtensionKind(entry.url) ? undefined : kind;
  const abbreviation = RESOURCE_TYPE_ABBREVIATIONS[entry.resourceType];
  return abbreviation === urlExtensionKind(entry.url) ? undefined : abbreviation;
}
