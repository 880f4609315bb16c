/**
 * `source` notes are built from a handful of parts (event name, how the entry came to exist, a count) and repeat
 * on every entry. {@link cachedNote} builds each distinct note once and hands back the same string afterwards, so an
 * event costs a few map lookups instead of a string build, and every entry shares one copy of each note.
 */
import { intern } from '../intern.js';

interface NoteNode {
  note?: string;
  next?: Map<string | number | undefined, NoteNode>;
}

/** Distinct part sequences remembered before the cache starts over (notes are a small, fixed family). */
const MAX_NODES = 4_096;

let root: NoteNode = {};
let nodes = 0;

/** The note for these parts: `build()` the first time, the remembered string afterwards. */
export function cachedNote(parts: ReadonlyArray<string | number | undefined>, build: () => string): string {
  let node = root;
  for (const part of parts) {
    let next = node.next?.get(part);
    if (next === undefined) {
      if (nodes >= MAX_NODES) {
        root = {};
        nodes = 0;
        return intern(build());
      }
      next = {};
      (node.next ??= new Map()).set(part, next);
      nodes++;
    }
    node = next;
  }
  return (node.note ??= intern(build()));
}
