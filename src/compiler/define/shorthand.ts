/**
 * From a run-time schema (what `defineModel` takes) to the JSON a schema file
 * would hold: Perstore's property shorthand expanded, the `prototype` object
 * of methods taken out, and anything else that JSON cannot hold reported
 * (a function elsewhere, a bigint, a class instance), each at its pointer.
 */
import { escapePointer } from "../../errors/json-pointer.js";

/**
 * The shorthand a property's value may be, and the schema each stands for.
 * `Date` is a `date-time` string: the form every store keeps and returns
 * (`toISOString()`), as with `"format": "date-time"` in a schema file.
 */
const SHORTHAND: ReadonlyMap<unknown, Readonly<Record<string, string>>> = new Map<
  unknown,
  Readonly<Record<string, string>>
>([
  [String, { type: "string" }],
  [Number, { type: "number" }],
  [Boolean, { type: "boolean" }],
  [Date, { type: "string", format: "date-time" }],
  [Array, { type: "array" }],
  [Object, { type: "object" }],
]);

/** Keywords whose values are data, not schemas: a `properties` key inside them is no property. */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples"]);

/** A problem found while reading a run-time schema, located by JSON pointer. */
export interface ShorthandIssue {
  readonly code: string;
  readonly message: string;
  readonly pointer: string;
}

/** The prototype's methods, by name (own enumerable properties of the object given). */
export type PrototypeMethods = Readonly<Record<string, (...args: any[]) => unknown>>;

export interface ExpandedSchema {
  /** Plain JSON, ready to be read like a schema file. */
  readonly json: Record<string, unknown>;
  readonly prototype: PrototypeMethods;
  readonly issues: readonly ShorthandIssue[];
}

/** Names no method may take: they would replace the instance machinery, or the prototype chain itself. */
const RESERVED_METHODS = new Set([
  "constructor",
  "__proto__",
  "$link",
  "save",
  "delete",
  "validate",
]);

/** Expand one model's run-time schema. Never mutates `schema`. */
export function expandSchema(schema: unknown): ExpandedSchema {
  const issues: ShorthandIssue[] = [];
  if (!isPlainObject(schema)) {
    issues.push({
      code: "SCHEMA_INVALID",
      message: "a model schema must be an object",
      pointer: "",
    });
    return { json: {}, prototype: {}, issues };
  }
  const { prototype: given, ...rest } = schema;
  const json = toJson(rest, "", { schema: true, property: false }, issues) as Record<
    string,
    unknown
  >;
  return { json, prototype: prototypeMethods(given, issues), issues };
}

function prototypeMethods(given: unknown, issues: ShorthandIssue[]): PrototypeMethods {
  if (given === undefined) return {};
  if (given === null || typeof given !== "object" || Array.isArray(given)) {
    issues.push({
      code: "SCHEMA_RUNTIME_PROTOTYPE",
      message:
        "a run-time model's prototype is an object of functions (a module path is for perstore build)",
      pointer: "/prototype",
    });
    return {};
  }
  const methods: Record<string, (...args: any[]) => unknown> = {};
  // Object.keys also lists a module namespace's exports (`import * as mixin`).
  for (const key of Object.keys(given)) {
    const value = (given as Record<string, unknown>)[key];
    const pointer = `/prototype/${escapePointer(key)}`;
    if (typeof value !== "function") {
      issues.push({
        code: "SCHEMA_RUNTIME_PROTOTYPE",
        message: `prototype.${key} is not a function`,
        pointer,
      });
    } else if (RESERVED_METHODS.has(key)) {
      issues.push({
        code: "SCHEMA_RUNTIME_PROTOTYPE",
        message: `prototype.${key} would replace a method every model instance has`,
        pointer,
      });
    } else {
      methods[key] = value as (...args: any[]) => unknown;
    }
  }
  return methods;
}

interface Position {
  /** The value sits where a schema goes (so a `properties` key holds property schemas). */
  readonly schema: boolean;
  /** The value is a property's schema: shorthand allowed. */
  readonly property: boolean;
}

const DATA: Position = { schema: false, property: false };

function toJson(value: unknown, pointer: string, at: Position, issues: ShorthandIssue[]): unknown {
  if (typeof value === "function") {
    const expanded = at.property ? SHORTHAND.get(value) : undefined;
    if (expanded !== undefined) return { ...expanded };
    issues.push({
      code: at.property ? "SCHEMA_UNKNOWN_SHORTHAND" : "SCHEMA_NOT_JSON",
      message: at.property
        ? `${describe(value)} is no property shorthand: use String, Number, Boolean, Date, Array, Object or a JSON Schema`
        : `${describe(value)} cannot be in a schema (functions are allowed as property shorthand and in prototype only)`,
      pointer,
    });
    return {};
  }
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    issues.push({ code: "SCHEMA_NOT_JSON", message: `${value} is not a JSON number`, pointer });
    return null;
  }
  if (Array.isArray(value)) {
    // Lists of schemas (allOf, prefixItems, ...) stay schema positions; shorthand is for properties only.
    return value.map((item, i) =>
      toJson(item, `${pointer}/${i}`, at.schema ? { schema: true, property: false } : DATA, issues),
    );
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (child === undefined) continue;
      const childPointer = `${pointer}/${escapePointer(key)}`;
      const childAt: Position = !at.schema
        ? DATA
        : DATA_KEYWORDS.has(key)
          ? DATA
          : key === "properties"
            ? { schema: false, property: false }
            : { schema: true, property: false };
      if (at.schema && key === "properties" && isPlainObject(child)) {
        const properties: Record<string, unknown> = {};
        for (const name of Object.keys(child)) {
          if (child[name] === undefined) continue;
          properties[name] = toJson(
            child[name],
            `${childPointer}/${escapePointer(name)}`,
            { schema: true, property: true },
            issues,
          );
        }
        // Defined, not assigned: a property named "__proto__" stays a property.
        Object.defineProperty(out, key, {
          value: properties,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        continue;
      }
      Object.defineProperty(out, key, {
        value: toJson(child, childPointer, childAt, issues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  issues.push({
    code: "SCHEMA_NOT_JSON",
    message: `${describe(value)} cannot be in a schema (only JSON values, and shorthand for properties)`,
    pointer,
  });
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === "function") return value.name ? `the function ${value.name}` : "a function";
  if (typeof value === "object" && value !== null) {
    const name = (value.constructor as { name?: string } | undefined)?.name;
    return name ? `a ${name} object` : "an object";
  }
  return `a ${typeof value}`;
}
