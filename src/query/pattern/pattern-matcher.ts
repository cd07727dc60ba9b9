/**
 * The linear-time matcher: does a text contain a match of a pattern? It
 * runs the pattern's automaton over the text once, tracking every state it
 * can be in (so there is no backtracking: the work per character is bounded
 * by the pattern's size), and caches the sets of states it meets as a lazy
 * DFA so most characters cost one table look-up.
 */
import { hasCodePoint } from "./char-set.js";
import type { Pattern } from "./pattern-ast.js";
import { buildAutomaton, type AutomatonState } from "./pattern-automaton.js";

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
  readonly other: Map<number, DfaState>;
  acceptsAtEnd?: boolean;
}

/** Cached sets of states per pattern; past this the cache starts again (memory stays bounded). */
const MAX_DFA_STATES = 2000;

/** Tests texts against one pattern in time linear in the text's length. */
export class PatternMatcher {
  readonly pattern: Pattern;
  readonly #states: readonly AutomatonState[];
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
    this.#states = states;
    this.#entry = entry;
    this.#visited = new Uint32Array(states.length);
    const restart = this.#closure([entry], false, false);
    this.#anchored = restart.chars.length === 0 && restart.ends.length === 0 && !restart.matched;
  }

  /** Whether `text` contains a match (by code points; a lone surrogate is one character). */
  test(text: string): boolean {
    let state = (this.#initial ??= this.#intern([this.#entry], true));
    const length = text.length;
    for (let i = 0; !state.matched && i < length;) {
      if (this.#anchored && state.chars.length === 0 && state.ends.length === 0) return false;
      let c = text.charCodeAt(i++);
      if (c >= 0xd800 && c <= 0xdbff && i < length) {
        const low = text.charCodeAt(i);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      state = (c < 0x80 ? state.ascii[c] : state.other.get(c)) ?? this.#step(state, c);
    }
    return state.matched || this.#acceptsAtEnd(state);
  }

  #step(from: DfaState, c: number): DfaState {
    const seeds = [this.#entry];
    for (const id of from.chars) {
      const state = this.#states[id] as Extract<AutomatonState, { kind: "char" }>;
      if (hasCodePoint(state.set, c)) seeds.push(state.next);
    }
    if (this.#cache.size >= MAX_DFA_STATES) {
      this.#cache = new Map();
      this.#initial = undefined;
    }
    const to = this.#intern(seeds, false);
    if (c < 0x80) from.ascii[c] = to;
    else from.other.set(c, to);
    return to;
  }

  #intern(seeds: readonly number[], atStart: boolean): DfaState {
    const { chars, ends, matched } = this.#closure(seeds, atStart, false);
    const key = `${atStart ? "^" : ""}${chars.join(",")}|${ends.join(",")}${matched ? "!" : ""}`;
    let state = this.#cache.get(key);
    if (state === undefined) {
      state = { chars, ends, matched, atStart, ascii: [], other: new Map() };
      this.#cache.set(key, state);
    }
    return state;
  }

  #acceptsAtEnd(state: DfaState): boolean {
    if (state.acceptsAtEnd === undefined) {
      const seeds = state.ends.map((id) => (this.#states[id] as { next: number }).next);
      state.acceptsAtEnd = this.#closure(seeds, state.atStart, true).matched;
    }
    return state.acceptsAtEnd;
  }

  /** The states reachable from `seeds` without reading a character. */
  #closure(seeds: readonly number[], atStart: boolean, atEnd: boolean) {
    if (++this.#stamp === 0xffffffff) {
      this.#visited.fill(0);
      this.#stamp = 1;
    }
    const stamp = this.#stamp;
    const chars: number[] = [];
    const ends: number[] = [];
    let matched = false;
    const stack = [...seeds];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (this.#visited[id] === stamp) continue;
      this.#visited[id] = stamp;
      const state = this.#states[id]!;
      switch (state.kind) {
        case "char":
          chars.push(id);
          break;
        case "split":
          for (let k = state.next.length - 1; k >= 0; k--) stack.push(state.next[k]!);
          break;
        case "start":
          if (atStart) stack.push(state.next);
          break;
        case "end":
          if (atEnd) stack.push(state.next);
          else ends.push(id);
          break;
        case "match":
          matched = true;
          break;
      }
    }
    chars.sort((a, b) => a - b);
    ends.sort((a, b) => a - b);
    return { chars, ends, matched };
  }
}
