/**
 * A regular-expression matcher whose running time is linear in the subject (a Thompson NFA simulation, no
 * backtracking), so a URL filter from an agent can never wedge the server the way `/(a|aa)+$/` or `.*a.*a.*b` wedge a
 * backtracking engine. It answers only "does it match anywhere" (like `RegExp.prototype.test`).
 *
 * Syntax: literals, `.`, classes (`[a-z]`, `[^…]`, `\d \w \s` and their negations), `\b \B ^ $`, groups (capturing,
 * `(?:…)`, named), alternation, quantifiers `* + ? {n} {n,} {n,m}` (lazy forms match the same), flags `i m s u`.
 * Lookaround, backreferences and `\p{…}` are refused with a {@link LinearRegexError}. Pure.
 */

/** Thrown for a pattern this matcher does not support or that is too large; the message says which part. */
export class LinearRegexError extends Error {}

/** Upper bound on NFA states (counted repetitions are expanded), which bounds the work per subject character. */
const MAX_NFA_STATES = 5_000;

type CharTest = (code: number) => boolean;
type Assertion = (subject: readonly number[], at: number) => boolean;

type AstNode =
  | { kind: 'char'; test: CharTest }
  | { kind: 'assert'; test: Assertion }
  | { kind: 'group'; alternatives: AstNode[][] }
  | { kind: 'repeat'; node: AstNode; min: number; max: number };

interface Flags {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
  unicode: boolean;
}

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const WHITESPACE = new Set([9, 10, 11, 12, 13, 32, 160, 5760, 8232, 8233, 8239, 8287, 12288, 65279]);
const isSpace: CharTest = (c) => WHITESPACE.has(c) || (c >= 8192 && c <= 8202);
const isLineTerminator: CharTest = (c) => c === 10 || c === 13 || c === 8232 || c === 8233;
const not =
  (test: CharTest): CharTest =>
  (c) =>
    !test(c);

function caseVariants(code: number): number[] {
  const char = String.fromCodePoint(code);
  const variants = new Set([code]);
  for (const other of [char.toLowerCase(), char.toUpperCase()]) {
    const first = other.codePointAt(0);
    if (first !== undefined && String.fromCodePoint(first) === other) variants.add(first);
  }
  return [...variants];
}

class Parser {
  readonly #chars: number[];
  #pos = 0;

  constructor(
    pattern: string,
    readonly flags: Flags,
  ) {
    this.#chars = toCodes(pattern, flags.unicode);
  }

  parse(): AstNode {
    const node = this.#alternation();
    if (this.#pos < this.#chars.length) throw new LinearRegexError(`unmatched ")" at position ${this.#pos}`);
    return node;
  }

  #peek(offset = 0): number | undefined {
    return this.#chars[this.#pos + offset];
  }

  #next(): number {
    const code = this.#chars[this.#pos];
    if (code === undefined) throw new LinearRegexError('the pattern ends in the middle of an escape or class');
    this.#pos += 1;
    return code;
  }

  #alternation(): AstNode {
    const alternatives: AstNode[][] = [this.#sequence()];
    while (this.#peek() === 0x7c /* | */) {
      this.#pos += 1;
      alternatives.push(this.#sequence());
    }
    return { kind: 'group', alternatives };
  }

  #sequence(): AstNode[] {
    const items: AstNode[] = [];
    for (let code = this.#peek(); code !== undefined && code !== 0x7c && code !== 0x29 /* ) */; code = this.#peek()) {
      items.push(this.#quantified(this.#atom()));
    }
    return items;
  }

  #quantified(node: AstNode): AstNode {
    const code = this.#peek();
    let min: number;
    let max: number;
    if (code === 0x2a /* * */) [min, max] = [0, Infinity];
    else if (code === 0x2b /* + */) [min, max] = [1, Infinity];
    else if (code === 0x3f /* ? */) [min, max] = [0, 1];
    else if (code === 0x7b /* { */) {
      const counted = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...this.#chars.slice(this.#pos, this.#pos + 24)));
      if (!counted) return node; // a literal "{" (already accepted by the native parser)
      min = Number(counted[1]);
      max = counted[2] === undefined ? min : counted[3] === '' || counted[3] === undefined ? Infinity : Number(counted[3]);
      this.#pos += counted[0].length - 1;
    } else return node;
    this.#pos += 1;
    if (this.#peek() === 0x3f) this.#pos += 1; // lazy: same set of matches
    if (node.kind === 'assert') return node;
    if (min > MAX_NFA_STATES) throw new LinearRegexError(`the repetition {${min}} is too large`);
    return { kind: 'repeat', node, min, max };
  }

  #atom(): AstNode {
    const code = this.#next();
    switch (code) {
      case 0x28 /* ( */:
        return this.#group();
      case 0x5b /* [ */:
        return { kind: 'char', test: this.#classBody() };
      case 0x2e /* . */:
        return { kind: 'char', test: this.flags.dotAll ? () => true : not(isLineTerminator) };
      case 0x5e /* ^ */:
        {
          const multiline = this.flags.multiline;
          return { kind: 'assert', test: (s, at) => at === 0 || (multiline && isLineTerminator(s[at - 1] ?? 0)) };
        }
      case 0x24 /* $ */:
        {
          const multiline = this.flags.multiline;
          return { kind: 'assert', test: (s, at) => at === s.length || (multiline && isLineTerminator(s[at] ?? 0)) };
        }
      case 0x5c /* \ */:
        return this.#escapeAtom();
      default:
        return { kind: 'char', test: this.#fold((c) => c === code) };
    }
  }

  #group(): AstNode {
    if (this.#peek() === 0x3f /* ? */) {
      const kind = this.#peek(1);
      const after = this.#peek(2);
      if (kind === 0x3a /* : */) this.#pos += 2;
      else if (kind === 0x3c /* < */ && after !== 0x3d && after !== 0x21) {
        const close = this.#chars.indexOf(0x3e /* > */, this.#pos);
        if (close < 0) throw new LinearRegexError('unterminated group name');
        this.#pos = close + 1;
      } else throw new LinearRegexError('lookahead and lookbehind groups ((?=…), (?!…), (?<=…), (?<!…)) are not supported');
    }
    const node = this.#alternation();
    if (this.#next() !== 0x29) throw new LinearRegexError('unterminated group');
    return node;
  }

  #escapeAtom(): AstNode {
    const code = this.#peek();
    if (code === 0x62 /* b */ || code === 0x42 /* B */) {
      this.#pos += 1;
      const boundary: Assertion = (s, at) => isWord(s[at - 1] ?? -1) !== isWord(s[at] ?? -1);
      return { kind: 'assert', test: code === 0x62 ? boundary : (s, at) => !boundary(s, at) };
    }
    if (code !== undefined && code >= 0x31 && code <= 0x39) throw new LinearRegexError('backreferences (\\1 …) are not supported');
    if (code === 0x6b /* k */ && this.#peek(1) === 0x3c) throw new LinearRegexError('named backreferences (\\k<…>) are not supported');
    const escaped = this.#escape();
    return { kind: 'char', test: this.#fold(typeof escaped === 'number' ? (c) => c === escaped : escaped) };
  }

  /** One escape after the backslash: a class escape (a test) or the single character it stands for. */
  #escape(): number | CharTest {
    const code = this.#next();
    switch (String.fromCharCode(code)) {
      case 'd':
        return isDigit;
      case 'D':
        return not(isDigit);
      case 'w':
        return isWord;
      case 'W':
        return not(isWord);
      case 's':
        return isSpace;
      case 'S':
        return not(isSpace);
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'v':
        return 11;
      case 'f':
        return 12;
      case 'r':
        return 13;
      case 'b':
        return 8; // only reached inside a class
      case '0':
        return 0;
      case 'c': {
        const letter = this.#peek();
        if (letter !== undefined && ((letter >= 65 && letter <= 90) || (letter >= 97 && letter <= 122))) {
          this.#pos += 1;
          return letter % 32;
        }
        return 0x5c;
      }
      case 'x':
        return this.#hex(2) ?? 0x78;
      case 'u': {
        if (this.flags.unicode && this.#peek() === 0x7b) {
          const close = this.#chars.indexOf(0x7d, this.#pos);
          const value = Number.parseInt(String.fromCodePoint(...this.#chars.slice(this.#pos + 1, close)), 16);
          this.#pos = close + 1;
          return value;
        }
        return this.#hex(4) ?? 0x75;
      }
      case 'p':
      case 'P':
        if (this.flags.unicode) throw new LinearRegexError('Unicode property escapes (\\p{…}) are not supported');
        return code;
      default:
        return code;
    }
  }

  #hex(digits: number): number | undefined {
    const text = String.fromCodePoint(...this.#chars.slice(this.#pos, this.#pos + digits));
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text)) return undefined;
    this.#pos += digits;
    return Number.parseInt(text, 16);
  }

  /** `[` already consumed: reads up to `]` and returns the membership test. */
  #classBody(): CharTest {
    const negated = this.#peek() === 0x5e;
    if (negated) this.#pos += 1;
    const tests: CharTest[] = [];
    while (this.#peek() !== 0x5d /* ] */) {
      const low = this.#classAtom();
      if (this.#peek() === 0x2d && this.#peek(1) !== 0x5d && this.#peek(1) !== undefined && typeof low === 'number') {
        this.#pos += 1;
        const high = this.#classAtom();
        if (typeof high === 'number') {
          tests.push((c) => c >= low && c <= high);
          continue;
        }
        tests.push((c) => c === low || c === 0x2d, high);
        continue;
      }
      tests.push(typeof low === 'number' ? (c) => c === low : low);
    }
    this.#pos += 1;
    const member = this.#fold((c) => tests.some((test) => test(c))); // case-folded before negation, as the spec says
    return negated ? not(member) : member;
  }

  /** A class member: a single code (for ranges) or a class escape. */
  #classAtom(): number | CharTest {
    const code = this.#next();
    return code === 0x5c ? this.#escape() : code;
  }

  /** Applies case-insensitivity to a test. */
  #fold(test: CharTest): CharTest {
    if (!this.flags.ignoreCase) return test;
    return (c) => {
      if (test(c)) return true;
      if (c < 128) {
        const other = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? c ^ 0x20 : c;
        return other !== c && test(other);
      }
      return caseVariants(c).some((variant) => variant !== c && test(variant));
    };
  }
}

type Op = 'char' | 'split' | 'assert' | 'match';

interface State {
  op: Op;
  out: number;
  out2: number;
  test?: CharTest;
  assert?: Assertion;
}

/** Compiles the AST into NFA states; returns the start state. */
class Compiler {
  readonly states: State[] = [{ op: 'match', out: -1, out2: -1 }];

  #add(state: State): number {
    if (this.states.length >= MAX_NFA_STATES) {
      throw new LinearRegexError(`the pattern is too large once repetitions are expanded (over ${MAX_NFA_STATES} states)`);
    }
    this.states.push(state);
    return this.states.length - 1;
  }

  compile(node: AstNode, next: number): number {
    switch (node.kind) {
      case 'char':
        return this.#add({ op: 'char', out: next, out2: -1, test: node.test });
      case 'assert':
        return this.#add({ op: 'assert', out: next, out2: -1, assert: node.test });
      case 'group': {
        const starts = node.alternatives.map((items) => items.reduceRight((after, item) => this.compile(item, after), next));
        let start = starts.at(-1) ?? next;
        for (let i = starts.length - 2; i >= 0; i--) start = this.#add({ op: 'split', out: starts[i] ?? next, out2: start });
        return start;
      }
      case 'repeat': {
        let start = next;
        if (node.max === Infinity) {
          const loop = this.#add({ op: 'split', out: -1, out2: next });
          const body = this.compile(node.node, loop);
          const loopState = this.states[loop];
          if (loopState) loopState.out = body;
          start = loop;
        } else {
          for (let i = node.min; i < node.max; i++) start = this.#add({ op: 'split', out: this.compile(node.node, start), out2: next });
        }
        for (let i = 0; i < node.min; i++) start = this.compile(node.node, start);
        return start;
      }
    }
  }
}

/** A compiled pattern: `test` and `matchEnd` run in O(subject length × states). */
export interface LinearRegex {
  test(subject: string): boolean;
  /** Where the earliest-ending match ends (an index into `subject` in its own units), or -1 when none. */
  matchEnd(subject: string): number;
}

/**
 * Compiles `source` with `flags` (any of `imsu`). The caller should first check the syntax with the native `RegExp`
 * (its error messages are better); this throws {@link LinearRegexError} for what it cannot run in linear time.
 */
export function compileLinearRegex(source: string, flags: string): LinearRegex {
  const parsedFlags: Flags = {
    ignoreCase: flags.includes('i'),
    multiline: flags.includes('m'),
    dotAll: flags.includes('s'),
    unicode: flags.includes('u'),
  };
  const ast = new Parser(source, parsedFlags).parse();
  const compiler = new Compiler();
  const start = compiler.compile(ast, 0);
  const states = compiler.states;
  return {
    test(text: string): boolean {
      return simulate(states, start, toCodes(text, parsedFlags.unicode)) >= 0;
    },
    matchEnd(text: string): number {
      const codes = toCodes(text, parsedFlags.unicode);
      const end = simulate(states, start, codes);
      if (end < 0 || !parsedFlags.unicode) return end;
      // Code points → UTF-16 index.
      let units = 0;
      for (let i = 0; i < end; i++) units += (codes[i] ?? 0) > 0xffff ? 2 : 1;
      return units;
    },
  };
}

/** Code points (unicode mode) or UTF-16 code units, as the native engine sees the text. */
function toCodes(text: string, unicode: boolean): number[] {
  if (unicode) return Array.from(text, (c) => c.codePointAt(0) ?? 0);
  const codes = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

/** Runs the NFA over `subject`; returns the end of the earliest-ending match, or -1. */
function simulate(states: readonly State[], start: number, subject: readonly number[]): number {
  const marks = new Int32Array(states.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  const stack: number[] = [];
  /** Adds `state` and everything reachable without consuming a character; true when the match state is reached. */
  const addClosure = (list: number[], state: number, at: number): boolean => {
    stack.push(state);
    while (stack.length > 0) {
      const index = stack.pop() ?? 0;
      if (index < 0 || marks[index] === at) continue;
      marks[index] = at;
      const item = states[index];
      if (!item) continue;
      if (item.op === 'match') {
        stack.length = 0;
        return true;
      }
      if (item.op === 'char') list.push(index);
      else if (item.op === 'split') stack.push(item.out2, item.out);
      else if (item.assert?.(subject, at)) stack.push(item.out);
    }
    return false;
  };
  for (let at = 0; at <= subject.length; at++) {
    if (addClosure(current, start, at)) return at; // unanchored: a match may start at every position
    if (at === subject.length) break;
    const code = subject[at] ?? 0;
    for (const index of current) {
      const item = states[index];
      if (item?.test?.(code) && addClosure(next, item.out, at + 1)) return at + 1;
    }
    [current, next] = [next, []];
  }
  return -1;
}
