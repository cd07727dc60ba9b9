/**
 * Copies of stored records without walking their keys: a record gets a copier
 * when it is stored, compiled once per record shape (its keys in order, and
 * per key whether the value is a primitive, a Date, an array of primitives or
 * anything else). The copier builds the copy as one object literal, which is
 * what makes `MemoryStore.get` and query results cheap: the generic walk
 * (`copyRecord`) spends most of its time deciding, key by key, what each
 * record already told us when it was stored.
 *
 * This relies on stored records never changing after they are stored (a
 * change stores a new object, see memory-state.ts). The copier lives on the
 * record under a non-enumerable symbol, so spreads, `Object.assign`, `for
 * ... in`, `Object.keys` and JSON never see it or carry it to another object.
 * Where `new Function` is banned the copier is a closure over the same shape
 * (slower, same copies). Shapes and copiers are capped: records beyond the
 * caps are copied by `copyRecord`.
 */
import { copyRecord, isPrototypeKey } from "./copy.js";

type Copier = (record: object) => object;

/** What a key holds, as far as copying is concerned. */
const enum Kind {
  Primitive = 0,
  Date = 1,
  /** An array with no holes whose items are all primitives: `slice()` copies it. */
  PrimitiveArray = 2,
  /** Any other object: copied by `copyRecord`. */
  Other = 3,
}

const COPIER: unique symbol = Symbol("perstore.storedCopier");

/** Bounds on what arbitrary data can make this module keep. */
const MAX_KEYS = 128;
const MAX_NODES = 20_000;
const MAX_COPIERS = 1_000;

/** A node of the shape tree: the shape of the keys so far; children add one key of one kind. */
class Shape {
  private readonly children = new Map<string, (Shape | undefined)[]>();
  copier: Copier | undefined;

  constructor(
    readonly parent: Shape | undefined,
    readonly key: string,
    readonly kind: Kind,
  ) {}

  /** The shape with `key` of `kind` added, or undefined once the tree is full. */
  next(key: string, kind: Kind): Shape | undefined {
    let byKind = this.children.get(key);
    if (byKind === undefined) {
      if (nodes >= MAX_NODES) return undefined;
      byKind = [];
      this.children.set(key, byKind);
    }
    let child = byKind[kind];
    if (child === undefined) {
      if (nodes >= MAX_NODES) return undefined;
      nodes++;
      child = byKind[kind] = new Shape(this, key, kind);
    }
    return child;
  }
}

const root = new Shape(undefined, "", Kind.Primitive);
let nodes = 0;
let copiers = 0;
let codeGeneration: boolean | undefined;

function kindOf(value: unknown): Kind {
  if (value === null || typeof value !== "object") return Kind.Primitive;
  if (value instanceof Date) return Kind.Date;
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === "object") return Kind.Other;
      if (item === undefined && !(i in value)) return Kind.Other;
    }
    return Kind.PrimitiveArray;
  }
  return Kind.Other;
}

/**
 * Gives a stored record (which will never change) its copier.
 * A record that already has one keeps it; a record the caps leave out, or
 * one that cannot take a property, is copied by `copyRecord` instead.
 */
export function tagStoredRecord(record: object): void {
  if (Object.hasOwn(record, COPIER) || !Object.isExtensible(record)) return;
  const copier = copierOf(record);
  if (copier !== undefined)
    Object.defineProperty(record, COPIER, { value: copier, enumerable: false });
}

/**
 * A deep copy of a caller's record, the same as `copyRecord(record)`, made by
 * its shape's copier: an object literal keeps every field inside the object,
 * where a copy built key by key keeps most of them in a separate array (one
 * more memory read for every later access). Given the id property, a copy
 * whose id is already a primitive gets its copier at once, as long as the
 * caller only ever sets that id to a primitive.
 */
export function copyIntoStore<T extends object>(record: T, idProperty?: string): T {
  const copier = copierOf(record);
  if (copier === undefined) return copyRecord(record);
  const copy = copier(record);
  // Setting a primitive id over a primitive id keeps the shape: the copy can keep this copier.
  if (
    idProperty !== undefined &&
    Object.hasOwn(record, idProperty) &&
    !isPrototypeKey(idProperty)
  ) {
    const id = (record as Record<string, unknown>)[idProperty];
    if (id === null || typeof id !== "object")
      Object.defineProperty(copy, COPIER, { value: copier, enumerable: false });
  }
  return copy as T;
}

/** The copier of a record's shape, or undefined past the caps. */
function copierOf(record: object): Copier | undefined {
  // An object literal copies only plain records; an array (a values() row) keeps copyRecord.
  if (Array.isArray(record)) return undefined;
  let shape: Shape | undefined = root;
  let keys = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key) || isPrototypeKey(key)) continue;
    if (++keys > MAX_KEYS) return undefined;
    shape = shape.next(key, kindOf((record as Record<string, unknown>)[key]));
    if (shape === undefined) return undefined;
  }
  let copier = shape.copier;
  if (copier === undefined) {
    if (copiers >= MAX_COPIERS) return undefined;
    copiers++;
    copier = shape.copier = compileCopier(shape);
  }
  return copier;
}

/**
 * A deep copy of a stored record, the same as `copyRecord(record)`. A record
 * stored without a copier (a change made by spreading, an answer applied
 * from a channel) gets one on its first copy.
 */
export function copyStoredRecord<T>(record: T): T {
  if (record === null || typeof record !== "object") return record;
  let copier = (record as { [COPIER]?: Copier })[COPIER];
  if (copier === undefined) {
    tagStoredRecord(record);
    copier = (record as { [COPIER]?: Copier })[COPIER];
    if (copier === undefined) return copyRecord(record);
  }
  return copier(record) as T;
}

function fieldsOf(shape: Shape): { key: string; kind: Kind }[] {
  const fields: { key: string; kind: Kind }[] = [];
  for (let s: Shape | undefined = shape; s !== undefined && s !== root; s = s.parent) {
    fields.push({ key: s.key, kind: s.kind });
  }
  return fields.reverse();
}

function compileCopier(shape: Shape): Copier {
  const fields = fieldsOf(shape);
  if (codeGeneration !== false) {
    try {
      const compiled = generatedCopier(fields);
      codeGeneration = true;
      return compiled;
    } catch {
      // `new Function` is banned here (--disallow-code-generation-from-strings, CSP).
      codeGeneration = false;
    }
  }
  return closureCopier(fields);
}

/** One object literal per shape; keys are JSON-escaped, so no key becomes code. */
function generatedCopier(fields: readonly { key: string; kind: Kind }[]): Copier {
  const parts = fields.map(({ key, kind }) => {
    const name = JSON.stringify(key);
    const value = `r[${name}]`;
    switch (kind) {
      case Kind.Primitive:
        return `${name}: ${value}`;
      case Kind.Date:
        return `${name}: new Date(${value}.getTime())`;
      case Kind.PrimitiveArray:
        return `${name}: ${value}.slice()`;
      case Kind.Other:
        return `${name}: copy(${value})`;
    }
  });
  const source = `"use strict";\nreturn function copyStored(r) {\n  return { ${parts.join(", ")} };\n};`;
  return (new Function("copy", source) as (copy: typeof copyRecord) => Copier)(copyRecord);
}

function closureCopier(fields: readonly { key: string; kind: Kind }[]): Copier {
  const keys = fields.map((field) => field.key);
  const kinds = fields.map((field) => field.kind);
  return (record) => {
    const from = record as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = from[key];
      switch (kinds[i]) {
        case Kind.Primitive:
          out[key] = value;
          break;
        case Kind.Date:
          out[key] = new Date((value as Date).getTime());
          break;
        case Kind.PrimitiveArray:
          out[key] = (value as unknown[]).slice();
          break;
        default:
          out[key] = copyRecord(value);
      }
    }
    return out;
  };
}
