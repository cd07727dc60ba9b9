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
import { isTooDeepError, tooDeepError } from "./record-depth.js";

type Copier = (record: object) => object;
/** Copies into the store: undefined when a value is not of the kind its shape says (see `copyIntoStore`). */
type StoreCopier = (record: object) => object | undefined;

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
  /** Copies out of the store (they die young). */
  copier: Copier | undefined;
  /** Copies into the store (they live long): a second function, see `copiersOf`. */
  storeCopier: StoreCopier | undefined;

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
  if ((record as Tagged)[COPIER] !== undefined || !Object.isExtensible(record)) return;
  const copier = copierOf(record);
  if (copier !== undefined) setCopier(record, copier);
}

type Tagged = { [COPIER]?: Copier };

/** The copier as a non-enumerable property, so spreads, `Object.assign` and copies never carry it. */
function setCopier(record: object, copier: Copier | undefined): void {
  Object.defineProperty(record, COPIER, {
    value: copier,
    enumerable: false,
    writable: true,
    configurable: true,
  });
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
  const shape = shapeOf(record);
  if (shape === undefined) return copyRecord(record);
  let copy: object | undefined;
  try {
    copy = shape.storeCopier!(record);
  } catch (error) {
    // A field nesting too deep was reported from the field down: point from the record.
    if (isTooDeepError(error)) throw tooDeepError(record);
    throw error;
  }
  // A getter answered with another kind than when the shape was read: the generic copy
  // (one read per value), and a copier from the copy's own shape on its first copy out.
  if (copy === undefined) return copyRecord(record);
  // Setting a primitive id over a primitive id keeps the shape: the copy can keep this copier.
  // Read from the copy: the caller's getter could answer differently a third time.
  let keep = false;
  if (idProperty !== undefined && Object.hasOwn(copy, idProperty) && !isPrototypeKey(idProperty)) {
    const id = (copy as Record<string, unknown>)[idProperty];
    keep = id === null || typeof id !== "object";
  }
  // The literal already holds the copier's place inside the object (no separate property
  // array to read on every copy); it is made non-enumerable here, empty until the id is set.
  setCopier(copy, keep ? shape.copier : undefined);
  return copy as T;
}

/** The copier of a record's shape, or undefined past the caps. */
function copierOf(record: object): Copier | undefined {
  return shapeOf(record)?.copier;
}

/**
 * A record's shape with its copiers, or undefined past the caps. Each shape
 * gets two functions from the same source: V8 decides per allocation site
 * whether to allocate objects straight in the old generation once most of
 * them survive, and copies made when records are stored all survive. Copies
 * handed to callers made at that same site would then be allocated as old
 * objects and die there: 10-40x slower gets, nearly all of it GC.
 */
function shapeOf(record: object): Shape | undefined {
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
  if (shape.copier === undefined) {
    if (copiers >= MAX_COPIERS) return undefined;
    copiers++;
    shape.copier = compileCopier(shape, true);
    shape.storeCopier = compileCopier(shape, false) as StoreCopier;
  }
  return shape;
}

/**
 * A deep copy of a stored record, the same as `copyRecord(record)`. A record
 * stored without a copier (a change made by spreading, an answer applied
 * from a channel) gets one on its first copy.
 */
export function copyStoredRecord<T>(record: T): T {
  if (record === null || typeof record !== "object") return record;
  let copier = (record as Tagged)[COPIER];
  if (copier === undefined) {
    tagStoredRecord(record);
    copier = (record as Tagged)[COPIER];
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

function compileCopier(shape: Shape, out: boolean): Copier {
  const fields = fieldsOf(shape);
  if (codeGeneration !== false) {
    try {
      const compiled = generatedCopier(fields, out);
      codeGeneration = true;
      return compiled;
    } catch {
      // `new Function` is banned here (--disallow-code-generation-from-strings, CSP).
      codeGeneration = false;
    }
  }
  return closureCopier(fields, out);
}

/** The expression copying one field of `r`. */
function copyExpression(key: string, kind: Kind): string {
  const value = `r[${JSON.stringify(key)}]`;
  switch (kind) {
    case Kind.Primitive:
      return value;
    case Kind.Date:
      return `new Date(${value}.getTime())`;
    case Kind.PrimitiveArray:
      return `${value}.slice()`;
    case Kind.Other:
      return `copy(${value})`;
  }
}

/**
 * One object per shape; keys are JSON-escaped, so no key becomes code.
 *
 * Copies into the store are an object literal that reads the caller's record
 * key by key, in order. Copies handed out read a stored record (plain data
 * that never changes), so the order of reads is free: every array and Date is
 * read before the first `new Date`, a call into the runtime that stalls the
 * processor until the reads before it arrive, so that the cache misses of a
 * record's arrays and Dates overlap instead of queueing behind each other.
 * They are built by a constructor whose prototype is Object.prototype (the
 * same plain objects as a literal's): V8 watches an object literal's
 * allocation site, and once most of its objects survive a scavenge (a
 * query's results while it copies them; every copy into the store) it
 * allocates all later ones straight in the old generation, where short-lived
 * copies cost full collections; a constructor's objects always start young.
 * A key Object.prototype also has would be set through it (a setter, or a
 * throw on a frozen prototype), so such shapes keep a literal.
 */
function generatedCopier(fields: readonly { key: string; kind: Kind }[], out: boolean): Copier {
  if (!out) {
    // The caller's record may have getters that answer differently on each read: each
    // value is read once, in key order, and checked against its kind (undefined if not).
    const reads = fields.map(({ key, kind }, i) => {
      const read = `const v${i} = r[${JSON.stringify(key)}];`;
      switch (kind) {
        case Kind.Primitive:
          return `${read} if (v${i} !== null && typeof v${i} === "object") return undefined;`;
        case Kind.Date:
          return `${read} if (!(v${i} instanceof Date)) return undefined;`;
        case Kind.PrimitiveArray:
          return `const v${i} = primitives(r[${JSON.stringify(key)}]); if (v${i} === undefined) return undefined;`;
        case Kind.Other:
          return `const v${i} = copy(r[${JSON.stringify(key)}]);`;
      }
    });
    const parts = fields.map(
      ({ key, kind }, i) =>
        `${JSON.stringify(key)}: ${kind === Kind.Date ? `new Date(v${i}.getTime())` : `v${i}`}`,
    );
    // The last property holds the copier's place (see copyIntoStore).
    parts.push("[COPIER]: undefined");
    return compileSource(
      `return function copyIntoStore(r) {\n  ${reads.join("\n  ")}\n  return { ${parts.join(", ")} };\n};`,
    );
  }
  // Arrays and Dates first, into locals; then the object, in key order.
  const early: string[] = [];
  const values = fields.map(({ key, kind }, i) => {
    if (kind === Kind.PrimitiveArray) {
      early.push(`const v${i} = ${copyExpression(key, kind)};`);
      return `v${i}`;
    }
    if (kind === Kind.Date) {
      early.push(`const v${i} = r[${JSON.stringify(key)}].getTime();`);
      return `new Date(v${i})`;
    }
    return copyExpression(key, kind);
  });
  const body = early.join("\n  ");
  if (fields.some(({ key }) => key in Object.prototype)) {
    const parts = fields.map(({ key }, i) => `${JSON.stringify(key)}: ${values[i]}`);
    return compileSource(
      `return function copyStored(r) {\n  ${body}\n  return { ${parts.join(", ")} };\n};`,
    );
  }
  const sets = fields.map(({ key }, i) => `  this[${JSON.stringify(key)}] = ${values[i]};\n`);
  return compileSource(
    `function Copy(r) {\n  ${body}\n${sets.join("")}}\nCopy.prototype = Object.prototype;\n` +
      `return function copyStored(r) {\n  return new Copy(r);\n};`,
  );
}

function compileSource(body: string): Copier {
  const factory = new Function("copy", "COPIER", "primitives", `"use strict";\n${body}`) as (
    copy: typeof copyRecord,
    copier: symbol,
    primitives: typeof copyPrimitives,
  ) => Copier;
  return factory(copyRecord, COPIER, copyPrimitives);
}

function closureCopier(fields: readonly { key: string; kind: Kind }[], out: boolean): Copier {
  const keys = fields.map((field) => field.key);
  const kinds = fields.map((field) => field.kind);
  // Two function literals, so copies handed out and copies stored come from two allocation sites.
  return out
    ? (record) => fill({}, record as Record<string, unknown>, keys, kinds)
    : (record) => fillChecked({}, record as Record<string, unknown>, keys, kinds) as object;
}

/**
 * A copy of an array of primitives without holes, each item read once; undefined
 * if `value` is anything else (then the record is copied by `copyRecord`).
 */
function copyPrimitives(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return undefined;
  const length = value.length;
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) {
    if (!(i in value)) return undefined;
    const item: unknown = value[i];
    if (item !== null && typeof item === "object") return undefined;
    out.push(item);
  }
  return out;
}

/** `fill` for a caller's record: each value read once and checked; undefined if one is not of its kind. */
function fillChecked(
  out: Record<string, unknown>,
  from: Record<string, unknown>,
  keys: readonly string[],
  kinds: readonly Kind[],
): object | undefined {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = from[key];
    switch (kinds[i]) {
      case Kind.Primitive:
        if (value !== null && typeof value === "object") return undefined;
        out[key] = value;
        break;
      case Kind.Date:
        if (!(value instanceof Date)) return undefined;
        out[key] = new Date(value.getTime());
        break;
      case Kind.PrimitiveArray: {
        const items = copyPrimitives(value);
        if (items === undefined) return undefined;
        out[key] = items;
        break;
      }
      default:
        out[key] = copyRecord(value);
    }
  }
  return out;
}

function fill(
  out: Record<string, unknown>,
  from: Record<string, unknown>,
  keys: readonly string[],
  kinds: readonly Kind[],
): object {
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
}
