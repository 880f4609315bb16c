import { deflateSync } from 'node:zlib';

/** Size of the `/large` body: 3 MiB. */
export const LARGE_SIZE = 3 * 1024 * 1024;

/** Size of the part of `/never-read` that is sent before the response stalls. */
export const NEVER_READ_SENT = 64 * 1024;

/** Deterministic bytes: byte i = i % 251 (251 is prime, so the pattern never lines up with power-of-two chunks). */
export function patternBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

/** A fresh copy of the `/large` body (3 MiB, byte i = i % 251), for byte-identity checks. */
export function largeBody(): Uint8Array {
  return patternBytes(LARGE_SIZE);
}

/** The `/api/json` body: deterministic JSON of about 2 KB. */
export function jsonBodyText(): string {
  const items = Array.from({ length: 16 }, (_, i) => ({
    id: i + 1,
    name: `item-${String(i + 1).padStart(2, '0')}`,
    price: Number(((i + 1) * 3.25).toFixed(2)),
    tags: ['alpha', 'beta', 'gamma'].slice(0, (i % 3) + 1),
    inStock: i % 4 !== 0,
    note: `catalogue entry ${i + 1} of the bidiscope test site`,
  }));
  return JSON.stringify({ kind: 'json', count: items.length, items });
}

const WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do'];

/** The decoded `/gzip` body: deterministic JSON of about 6 KB (compresses well). */
export function gzipBodyText(): string {
  const rows = Array.from({ length: 64 }, (_, i) => ({
    i,
    word: WORDS[i % WORDS.length] ?? 'x',
    square: i * i,
    text: WORDS.map((w, j) => `${w}${(i + j) % 7}`).join(' '),
  }));
  return JSON.stringify({ kind: 'gzip', count: rows.length, rows });
}

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Size in pixels of the square `/img.png`. */
export const PNG_SIZE = 16;

/** A valid 16×16 RGB PNG (a colour gradient), generated — no binary file in the repo. */
export function pngBytes(): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(PNG_SIZE, 0);
  header.writeUInt32BE(PNG_SIZE, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, filter 0, no interlace
  const stride = 1 + PNG_SIZE * 3;
  const raw = Buffer.alloc(stride * PNG_SIZE);
  for (let y = 0; y < PNG_SIZE; y++) {
    raw[y * stride] = 0; // filter: none
    for (let x = 0; x < PNG_SIZE; x++) raw.set([x * 16, y * 16, 128], y * stride + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}
