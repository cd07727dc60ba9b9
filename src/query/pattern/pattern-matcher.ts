/**
 * The linear-time matcher: does a text contain a match of a pattern? It
 * runs the pattern's automaton over the text once, tracking every state it
 * can be in (so there is no backtracking: the work per character is bounded
 * by the pattern's size), and caches the sets of states it meets as a lazy
 * DFA so most characters cost one table look-up. When a text keeps meeting
 * new sets (the DFA would not pay for itself), the rest of it is simulated
 * directly, which allocates nothing per character.
 */
import type { Pattern } from "./pattern-ast.js";
import { buildAutomaton } from "./pattern-automaton.js";

const MATCH = 0;
const CHAR = 1;
const SPLIT = 2;
const START = 3;
const END = 4;
const KINDS = { match: MATCH, char: CHAR, split: SPLIT, start: START, end: END } as const;

/** Whether `c` is in a set flattened to `[lo, hi, lo, hi, ...]` (binary search). */
function inRanges(ranges: Int32Array, c: number): boolean {
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < ranges[2 * mid]!) hi = mid - 1;
    else if (c > ranges[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A set of automaton states, with its transitions as they are met. */
interface DfaState {
  /** States waiting for a character. */
  readonly chars: readonly number[];
  /** `$` states: their continuation counts only at the end of the text. */
  readonly ends: readonly number[];
  readonly matched: boolean;
  /** Whether this set was reached at the start of the text (where `^` holds). */
  readonly atStart: boolean;
  readonly ascii: (DfaState | undefined)[];
  other?: Map<number, DfaState>;
  acceptsAtEnd?: boolean;
}

/** Cached sets of states per pattern; past this the cache starts again (memory stays bounded). */
const MAX_DFA_STATES = 2000;
/** New sets met in one text past which the rest of it is simulated instead. */
const MAX_NEW_STATES_PER_TEXT = 256;

/** The code point at `i` of `text` (a lone surrogate is one) and where the next one starts. */
function readCodePoint(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
  }
  return c;
}

/** Tests texts against one pattern in time linear in the text's length. */
export class PatternMatcher {
  readonly pattern: Pattern;
  /** The automaton as flat arrays (one shape for the engine, whatever the state's kind). */
  readonly #kind: Uint8Array;
  /** The next state of a char, `^` or `$` state. */
  readonly #next: Int32Array;
  /** A split state's targets: `#targets[#first[id] .. #first[id + 1])`. */
  readonly #first: Int32Array;
  readonly #targets: Int32Array;
  readonly #sets: readonly Int32Array[];
  readonly #entry: number;
  readonly #visited: Uint32Array;
  #stamp = 0;
  #cache = new Map<string, DfaState>();
  #initial: DfaState | undefined;
  /** True when no match can start after the first character (the pattern begins with `^`). */
  readonly #anchored: boolean;

  constructor(pattern: Pattern) {
    this.pattern = pattern;
    const { states, entry } = buildAutomaton(pattern.root);
    const count = states.length;
    this.#kind = new Uint8Array(count);
    this.#next = new Int32Array(count);
    this.#first = new Int32Array(count + 1);
    const targets: number[] = [];
    const sets: Int32Array[] = [];
    const none = new Int32Array(0);
    states.forEach((state, id) => {
      this.#kind[id] = KINDS[state.kind];
      this.#first[id] = targets.length;
      sets.push(state.kind === "char" ? Int32Array.from(state.set.flat()) : none);
      if (state.kind === "split") targets.push(...state.next);
      else if (state.kind !== "match") this.#next[id] = state.next;
    });
    this.#first[count] = targets.length;
    this.#targets = Int32Array.from(targets);
    this.#sets = sets;
    this.#entry = entry;
    this.#visited = new Uint32Array(count);
    const restart = this.#closure([entry], false, false);
    this.#anchored = restart.chars.length === 0 && restart.ends.length === 0 && !restart.matched;
  }

  /** Whether `text` contains a match (by code points; a lone surrogate is one character). */
  test(text: string): boolean {
    let state = (this.#initial ??= this.#intern([this.#entry], true));
    let added = 0;
    for (let i = 0; !state.matched && i < text.length;) {
      if (this.#anchored && state.chars.length === 0 && state.ends.length === 0) return false;
      const c = readCodePoint(text, i);
      let next = c < 0x80 ? state.ascii[c] : state.other?.get(c);
      if (next === undefined) {
        if (++added > MAX_NEW_STATES_PER_TEXT) return this.#simulate(text, i, state.chars);
        next = this.#step(state, c);
      }
      state = next;
      i += c > 0xffff ? 2 : 1;
    }
    return state.matched || this.#acceptsAtEnd(state);
  }

  /** Runs the automaton over `text` from `start` in the states `chars`, building no DFA states. */
  #simulate(text: string, start: number, chars: readonly number[]): boolean {
    const kind = this.#kind;
    const nextOf = this.#next;
    const first = this.#first;
    const targets = this.#targets;
    const sets = this.#sets;
    const visited = this.#visited;
    let current = new Int32Array(kind.length);
    current.set(chars);
    let currentLength = chars.length;
    let next = new Int32Array(kind.length);
    const ends: number[] = [];
    const stack = new Int32Array(targets.length + kind.length + 1);
    for (let i = start; i < text.length;) {
      if (this.#anchored && currentLength === 0) return false;
      const c = readCodePoint(text, i);
      i += c > 0xffff ? 2 : 1;
      const stamp = this.#nextStamp();
      let nextLength = 0;
      let top = 0;
      ends.length = 0;
      stack[top++] = this.#entry;
      for (let k = currentLength - 1; k >= 0; k--) {
        const id = current[k]!;
        if (inRanges(sets[id]!, c)) stack[top++] = nextOf[id]!;
      }
      while (top > 0) {
        const id = stack[--top]!;
        if (visited[id] === stamp) continue;
        visited[id] = stamp;
        switch (kind[id]) {
          case CHAR:
            next[nextLength++] = id;
            break;
          case SPLIT:
            for (let k = first[id + 1]! - 1; k >= first[id]!; k--) stack[top++] = targets[k]!;
            break;
          case END:
            ends.push(id);
            break;
          case MATCH:
            return true;
          default:
            break; // `^` never holds after the first character.
        }
      }
      [current, next] = [next, current];
      currentLength = nextLength;
    }
    return this.#closure(
      ends.map((id) => nextOf[id]!),
      false,
      true,
    ).matched;
  }

  #step(from: DfaState, c: number): DfaState {
    const seeds = [this.#entry];
    for (const id of from.chars) if (inRanges(this.#sets[id]!, c)) seeds.push(this.#next[id]!);
    if (this.#cache.size >= MAX_DFA_STATES) {
      this.#cache = new Map();
      this.#initial = undefined;
    }
    const to = this.#intern(seeds, false);
    if (c < 0x80) from.ascii[c] = to;
    else (from.other ??= new Map()).set(c, to);
    return to;
  }

  #intern(seeds: readonly number[], atStart: boolean): DfaState {
    const { chars, ends, matched } = this.#closure(seeds, atStart, false);
    const key = `${atStart ? "^" : ""}${chars.join(",")}|${ends.join(",")}${matched ? "!" : ""}`;
    let state = this.#cache.get(key);
    if (state === undefined) {
      state = { chars, ends, matched, atStart, ascii: [] };
      this.#cache.set(key, state);
    }
    return state;
  }

  #acceptsAtEnd(state: DfaState): boolean {
    if (state.acceptsAtEnd === undefined) {
      const seeds = state.ends.map((id) => this.#next[id]!);
      state.acceptsAtEnd = this.#closure(seeds, state.atStart, true).matched;
    }
    return state.acceptsAtEnd;
  }

  #nextStamp(): number {
    if (++this.#stamp === 0xffffffff) {
      this.#visited.fill(0);
      this.#stamp = 1;
    }
    return this.#stamp;
  }

  /** The states reachable from `seeds` without reading a character. */
  #closure(seeds: readonly number[], atStart: boolean, atEnd: boolean) {
    const stamp = this.#nextStamp();
    const chars: number[] = [];
    const ends: number[] = [];
    let matched = false;
    const stack = [...seeds];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (this.#visited[id] === stamp) continue;
      this.#visited[id] = stamp;
      switch (this.#kind[id]) {
        case CHAR:
          chars.push(id);
          break;
        case SPLIT:
          for (let k = this.#first[id + 1]! - 1; k >= this.#first[id]!; k--)
            stack.push(this.#targets[k]!);
          break;
        case START:
          if (atStart) stack.push(this.#next[id]!);
          break;
        case END:
          if (atEnd) stack.push(this.#next[id]!);
          else ends.push(id);
          break;
        case MATCH:
          matched = true;
          break;
      }
    }
    chars.sort((a, b) => a - b);
    ends.sort((a, b) => a - b);
    return { chars, ends, matched };
  }
}
