/**
 * `$ref` loops that never reach a value. A schema may refer to itself through
 * a property or an item (a tree node: each step validates a smaller part of
 * the value), but a loop of `$ref`s, or of `$ref`s through `allOf`/`anyOf`/
 * `not`/`if`..., stays on the same value forever: it cannot be resolved, and
 * ajv recurses until the stack overflows. Such loops are reported as
 * SCHEMA_CYCLIC_REF, at the `$ref` that starts them, across files too.
 */
import type { Diagnostics } from "../load/diagnostics.js";
import { getByPointer } from "./json-pointer.js";
import type { ModelSource } from "./model-sources.js";
import { subschemasOf } from "./subschemas.js";

interface SchemaNode {
  readonly model: ModelSource;
  readonly pointer: string;
  readonly schema: Record<string, unknown>;
  /** Set when the schema has a `$ref` that resolves. */
  refTarget?: SchemaNode;
  /** Subschemas that apply to the same value, and the `$ref` target. */
  next?: SchemaNode[];
}

/** Report every loop of same-value `$ref`s among `models` (whose refs are in `Model#/pointer` form). */
export function reportRefCycles(
  models: readonly ModelSource[],
  byName: ReadonlyMap<string, ModelSource>,
  diagnostics: Diagnostics,
): void {
  const nodes = new Map<object, SchemaNode>();
  const nodeOf = (model: ModelSource, pointer: string, schema: Record<string, unknown>) => {
    let node = nodes.get(schema);
    if (!node) nodes.set(schema, (node = { model, pointer, schema }));
    return node;
  };
  // Every schema position of every model, so each gets its canonical pointer.
  for (const m of models) {
    const stack = [nodeOf(m, "", m.normalized)];
    for (let node = stack.pop(); node; node = stack.pop())
      for (const sub of subschemasOf(node.schema, node.pointer))
        stack.push(nodeOf(m, sub.pointer, sub.schema as Record<string, unknown>));
  }
  const edges = (node: SchemaNode): SchemaNode[] => {
    if (node.next) return node.next;
    node.next = subschemasOf(node.schema, node.pointer)
      .filter((sub) => sub.kind === "in-place")
      .map((sub) => nodeOf(node.model, sub.pointer, sub.schema as Record<string, unknown>));
    const ref = node.schema["$ref"];
    if (typeof ref === "string") {
      const hash = ref.indexOf("#");
      const owner = byName.get(hash < 0 ? ref : ref.slice(0, hash));
      const pointer = hash < 0 ? "" : ref.slice(hash + 1);
      const target = owner && getByPointer(owner.normalized, pointer);
      if (owner && target !== null && typeof target === "object" && !Array.isArray(target)) {
        node.refTarget = nodeOf(owner, pointer, target as Record<string, unknown>);
        node.next.push(node.refTarget);
      }
    }
    return node.next;
  };
  for (const cycle of stronglyConnected([...nodes.values()], edges)) {
    const refs = cycle.filter((n) => n.refTarget && cycle.includes(n.refTarget));
    if (refs.length === 0 || refs.every(isBaseRef)) continue; // inheritance.ts reports base loops
    const start = refs.sort(byLocation)[0]!;
    const path = loopFrom(start, edges, new Set(cycle));
    const pure = path.every((n) => n.refTarget !== undefined && path.includes(n.refTarget));
    diagnostics.error(
      "SCHEMA_CYCLIC_REF",
      `$ref loop ${path.map(describe).join(" -> ")} -> ${describe(start)}: ` +
        (pure
          ? "references with no schema in between can never be resolved"
          : "it applies to the same value again and again; recursion must go through properties or items"),
      start.model.file,
      `${start.pointer}/$ref`,
    );
  }
}

/** A whole-model `allOf` entry: the base-model reference inheritance.ts checks. */
function isBaseRef(node: SchemaNode): boolean {
  return /^\/allOf\/\d+$/.test(node.pointer) && !String(node.schema["$ref"]).includes("#");
}

function describe(node: SchemaNode): string {
  return node.pointer === "" ? node.model.name : `${node.model.name}#${node.pointer}`;
}

function byLocation(a: SchemaNode, b: SchemaNode): number {
  const fa = a.model.file;
  const fb = b.model.file;
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0;
}

/** The shortest loop from `start` back to it inside `members` (breadth first), `start` first. */
function loopFrom(
  start: SchemaNode,
  edges: (n: SchemaNode) => SchemaNode[],
  members: ReadonlySet<SchemaNode>,
): SchemaNode[] {
  const previous = new Map<SchemaNode, SchemaNode>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const next of edges(queue[i]!)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [queue[i]!];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (previous.has(next)) continue;
      previous.set(next, queue[i]!);
      queue.push(next);
    }
  }
  return [start];
}

/**
 * Tarjan's strongly connected components, iteratively (no recursion, so no
 * schema can overflow the stack); yields components that contain a loop.
 */
function stronglyConnected(
  all: readonly SchemaNode[],
  edges: (n: SchemaNode) => SchemaNode[],
): SchemaNode[][] {
  const index = new Map<SchemaNode, number>();
  const low = new Map<SchemaNode, number>();
  const onStack = new Set<SchemaNode>();
  const stack: SchemaNode[] = [];
  const out: SchemaNode[][] = [];
  let counter = 0;
  for (const root of all) {
    if (index.has(root)) continue;
    const work: { node: SchemaNode; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = edges(frame.node);
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target))
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: SchemaNode[] = [];
      let member: SchemaNode;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || targets.includes(frame.node)) out.push(component);
    }
  }
  return out;
}
