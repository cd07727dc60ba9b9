/**
 * A pattern as a Thompson automaton: states that read one character, split,
 * or check `^` / `$`. Built once per pattern; the matcher runs it.
 */
import type { CharSet } from "./char-set.js";
import type { PatternNode } from "./pattern-ast.js";

export type AutomatonState =
  | { readonly kind: "char"; readonly set: CharSet; readonly next: number }
  | { readonly kind: "split"; next: number[] }
  | { readonly kind: "start"; readonly next: number }
  | { readonly kind: "end"; readonly next: number }
  | { readonly kind: "match" };

/** The states, with the entry state's index; state 0 is the match. */
export interface Automaton {
  readonly states: readonly AutomatonState[];
  readonly entry: number;
}

/** Builds the automaton of `root` (its size is bounded by the parser's MAX_PATTERN_SIZE). */
export function buildAutomaton(root: PatternNode): Automaton {
  const states: AutomatonState[] = [{ kind: "match" }];
  const add = (state: AutomatonState): number => states.push(state) - 1;

  /** The entry of `node`, continuing to `next` (built back to front, so nothing is patched but loops). */
  function build(node: PatternNode, next: number): number {
    switch (node.kind) {
      case "set":
        return add({ kind: "char", set: node.set, next });
      case "start":
      case "end":
        return add({ kind: node.kind, next });
      case "sequence":
        for (let i = node.items.length - 1; i >= 0; i--) next = build(node.items[i]!, next);
        return next;
      case "choice":
        return add({ kind: "split", next: node.options.map((option) => build(option, next)) });
      case "group":
        return build(node.body, next);
      case "repeat": {
        let tail = next;
        if (node.max === Infinity) {
          const loop: AutomatonState = { kind: "split", next: [] };
          tail = add(loop);
          loop.next.push(build(node.body, tail), next);
        } else {
          for (let k = node.min; k < node.max; k++)
            tail = add({ kind: "split", next: [build(node.body, tail), tail] });
        }
        for (let k = 0; k < node.min; k++) tail = build(node.body, tail);
        return tail;
      }
    }
  }

  return { states, entry: build(root, 0) };
}
