/**
 * Emits a filter as JavaScript source: `function (record, parameters) {...}`.
 * Values reach the source only through the safe emitter (escaped literals),
 * property reads go through `queryOwn` (own properties only), and common
 * conditions are inlined with `typeof` guards so a compound filter runs
 * close to a hand-written loop. Top-level `and` terms become early returns,
 * and each property is read once, just before the first term that needs it.
 */
import { type Code, type Name, code, joinCode, name, property } from "../../codegen/index.js";
import { QueryError } from "../../errors/index.js";
import type { FilterNode, Path, ValueNode } from "../ast.js";
import { getOperator } from "../operators/index.js";
import type { Operand } from "../operators/index.js";

interface Scope {
  readonly record: Code;
  /** The record is known to be a plain object: read safe top-level names directly. */
  readonly direct: boolean;
  readonly vars: Map<string, Name>;
  pending: Code[];
}

class PredicateEmitter {
  #counter = 0;

  fresh(prefix: "v" | "e"): Name {
    return name(`${prefix}${this.#counter++}`);
  }

  function(filter: FilterNode): Code {
    const record = name("record");
    const slow = this.body(filter, { record, direct: false, vars: new Map(), pending: [] });
    if (!usesDirectReads(filter)) return code`function (record, parameters) {\n${slow}\n}`;
    // Plain objects (the records stores hold) take a path with direct property reads, as fast as a
    // hand-written loop; anything else (class instances, null-prototype objects, primitives) the
    // own-property path. The guard is exact: only an object whose prototype is Object.prototype
    // passes. Reading `constructor` first gives V8 the record's map, which lets it fold the
    // getPrototypeOf call to a constant (a bare getPrototypeOf costs as much as the whole filter).
    const fast = this.body(filter, { record, direct: true, vars: new Map(), pending: [] });
    return code`function (record, parameters) {\n  if (${PLAIN_GUARD}) {\n${fast}\n  }\n${slow}\n}`;
  }

  body(filter: FilterNode, scope: Scope): Code {
    const lines: Code[] = [];
    const flush = () => {
      lines.push(...scope.pending);
      scope.pending = [];
    };
    if (filter.kind === "and" && filter.terms.length > 0) {
      for (const term of filter.terms) {
        const test = this.expression(term, scope);
        flush();
        lines.push(code`  if (!${test}) return false;`);
      }
      lines.push(code`  return true;`);
    } else {
      const test = this.expression(filter, scope);
      flush();
      lines.push(code`  return ${test};`);
    }
    return joinCode(lines, "\n");
  }

  /** The variable holding the value at `path`, declared on first use. */
  value(path: Path, scope: Scope): Code {
    if (path.length === 0) return scope.record;
    if (scope.direct && path.length === 1 && isDirectKey(path[0]!))
      return property(scope.record, path[0]!);
    const key = JSON.stringify(path);
    let variable = scope.vars.get(key);
    if (variable === undefined) {
      let access: Code = scope.record;
      path.forEach((step, i) => {
        access =
          i === 0 && scope.direct && isDirectKey(step)
            ? property(access, step)
            : code`queryOwn(${access}, ${step})`;
      });
      variable = this.fresh("v");
      scope.vars.set(key, variable);
      scope.pending.push(code`  const ${variable} = ${access};`);
    }
    return variable;
  }

  expression(filter: FilterNode, scope: Scope): Code {
    switch (filter.kind) {
      case "and":
        return filter.terms.length === 0
          ? code`true`
          : code`(${joinCode(
              filter.terms.map((t) => this.expression(t, scope)),
              " && ",
            )})`;
      case "or":
        return filter.terms.length === 0
          ? code`false`
          : code`(${joinCode(
              filter.terms.map((t) => this.expression(t, scope)),
              " || ",
            )})`;
      case "not":
        return code`!${this.expression(filter.term, scope)}`;
      case "search":
        throw new QueryError("QUERY_UNSUPPORTED", "search() needs a store with a full-text index");
      case "condition": {
        const operator = getOperator(filter.op);
        if (!operator)
          throw new QueryError(
            "QUERY_UNKNOWN_OPERATOR",
            `unknown operator ${JSON.stringify(filter.op)}`,
          );
        const actual = this.value(filter.path, scope);
        const operand = filter.value === undefined ? undefined : this.operand(filter.value);
        return code`(${operator.emit(actual, operand)})`;
      }
      default:
        throw new QueryError(
          "QUERY_UNKNOWN_OPERATOR",
          `unknown query node ${JSON.stringify((filter as { kind?: unknown }).kind)}`,
        );
    }
  }

  operand(node: ValueNode): Operand {
    switch (node.kind) {
      case "literal":
        return { constant: true, value: node.value };
      case "list": {
        const items = node.items.map((item) => this.operand(item));
        if (items.every((item) => item.constant)) {
          return { constant: true, value: items.map((item) => (item as { value: unknown }).value) };
        }
        const parts = items.map((item) =>
          item.constant ? code`${item.value as string}` : item.code,
        );
        return { constant: false, code: code`[${joinCode(parts, ", ")}]` };
      }
      case "param":
        return { constant: false, code: code`queryParameter(parameters, ${node.index})` };
      case "subquery": {
        const element = this.fresh("e");
        const scope: Scope = { record: element, direct: false, vars: new Map(), pending: [] };
        const body = this.body(node.filter, scope);
        return { constant: false, code: code`queryElementTest((${element}) => {\n${body}\n})` };
      }
    }
  }
}

/** True exactly when `record`'s prototype is `Object.prototype` (see `PredicateEmitter.function`). */
const PLAIN_GUARD: Code = code`record != null && record.constructor === Object && Object.getPrototypeOf(record) === Object.prototype`;

/**
 * Names a direct read may use on a plain object: ones `Object.prototype`
 * does not have, so a missing property reads as `undefined`, exactly as the
 * own-property read would.
 */
function isDirectKey(key: string): boolean {
  return key !== "__proto__" && !(key in Object.prototype);
}

function usesDirectReads(filter: FilterNode): boolean {
  switch (filter.kind) {
    case "and":
    case "or":
      return filter.terms.some(usesDirectReads);
    case "not":
      return usesDirectReads(filter.term);
    case "condition":
      return filter.path.length > 0 && isDirectKey(filter.path[0]!);
    default:
      return false;
  }
}

/** The predicate source for `filter`, a function expression `(record, parameters) => boolean`. */
export function emitPredicate(filter: FilterNode): string {
  return new PredicateEmitter().function(filter).toString();
}
