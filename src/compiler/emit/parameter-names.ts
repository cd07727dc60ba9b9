/**
 * Names for a named query's `$n` parameters in its typed wrapper: the
 * property it is compared with (`eq(country,$1)` -> `country`), made unique.
 */
import type { FilterNode, Query, ValueNode } from "../../query/ast.js";
import { isIdentifier } from "../ir/names.js";

const RESERVED = new Set([
  "this",
  "arguments",
  "eval",
  "default",
  "new",
  "delete",
  "in",
  "for",
  "function",
  "class",
  "return",
  "parameters",
]);

export function parameterNames(query: Query, count: number): string[] {
  const hints = new Map<number, string>();
  // `between(p,($1,$2))` names its bounds pFrom/pTo; other lists repeat the hint (p, p2).
  const note = (value: ValueNode | undefined, hint: string, range = false): void => {
    if (!value) return;
    if (value.kind === "param" && !hints.has(value.index)) hints.set(value.index, hint);
    else if (value.kind === "list")
      value.items.forEach((item, i) =>
        note(item, range && value.items.length === 2 ? `${hint}${i === 0 ? "From" : "To"}` : hint),
      );
  };
  const walk = (node: FilterNode): void => {
    if (node.kind === "and" || node.kind === "or") node.terms.forEach(walk);
    else if (node.kind === "not") walk(node.term);
    else if (node.kind === "search") note(node.value, "words");
    else note(node.value, node.path[node.path.length - 1] ?? "value", node.op === "between");
  };
  walk(query.filter);
  if (query.limit) {
    note(query.limit.count, "limit");
    note(query.limit.start, "start");
  }
  const used = new Set<string>();
  const names: string[] = [];
  for (let index = 1; index <= count; index++) {
    let base = hints.get(index) ?? `p${index}`;
    if (!isIdentifier(base) || RESERVED.has(base)) base = `p${index}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    names.push(name);
  }
  return names;
}
