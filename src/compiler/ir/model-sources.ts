/**
 * The first pass over schema files: parse with positions, name each model,
 * check perstore keywords against their meta-schema, and resolve `$ref`s to
 * `Model#/pointer` form. Every problem is reported to `Diagnostics`.
 */
import { posix } from "node:path";
import type { ValidateFunction } from "ajv";
import { metaSchemaProblems } from "../load/meta-schema-errors.js";
import {
  JsonSyntaxError,
  parseJsonWithPointers,
  type SourcePosition,
} from "../load/json-source-map.js";
import type { Diagnostics } from "../load/diagnostics.js";
import { perstoreMetaSchema } from "../load/vocabulary.js";
import { createAjv } from "../load/create-ajv.js";
import {
  checkSchemaKeywords,
  knownKeywordsOf,
  type KnownKeywords,
} from "../load/schema-keywords.js";
import {
  fileUri,
  indexResources,
  pointerFragment,
  resolveReference,
  resolveUri,
  type RefTarget,
} from "./schema-resources.js";
import { isIdentifier, pascalCase } from "./names.js";
import { subschemasOf } from "./subschemas.js";

/** A schema file's text, its path relative to the project root (posix). */
export interface SchemaSource {
  readonly file: string;
  readonly text: string;
}

/** A parsed model file, before IR construction. */
export interface ModelSource {
  readonly name: string;
  readonly file: string;
  /** As read (never mutated). */
  readonly raw: Record<string, unknown>;
  /** A copy with `$id` set to the model name and every `$ref` rewritten to `Model#pointer`. */
  readonly normalized: Record<string, unknown>;
  readonly pointers: ReadonlyMap<string, SourcePosition>;
}

const SUFFIX = ".schema.json";

/** One file's parse and keyword checks, which depend on nothing but its text. */
interface CheckedFile {
  readonly parsed?: {
    readonly raw: Record<string, unknown>;
    readonly pointers: ReadonlyMap<string, SourcePosition>;
  };
  readonly pointers?: ReadonlyMap<string, SourcePosition>;
  readonly errors: readonly {
    code: string;
    message: string;
    pointer: string;
    position?: SourcePosition;
  }[];
}

/**
 * Per-file results kept between builds of one session (watch mode), keyed by
 * path and text: an unchanged file is not parsed or checked again.
 */
export type SourceCache = Map<string, CheckedFile>;

// Validators compiled once per process: they hold no per-build state.
let checkers:
  | { meta: ValidateFunction; schema: ReturnType<typeof createAjv>; known: KnownKeywords }
  | undefined;

/** Parse every source and give each its model name; sources must be sorted by file. */
export function readModelSources(
  sources: readonly SchemaSource[],
  diagnostics: Diagnostics,
  cache?: SourceCache,
): ModelSource[] {
  const parsed: {
    file: string;
    raw: Record<string, unknown>;
    pointers: ReadonlyMap<string, SourcePosition>;
  }[] = [];
  const seen = new Set<string>();
  for (const { file, text } of sources) {
    const key = `${file}\0${text}`;
    seen.add(key);
    let checked = cache?.get(key);
    if (checked === undefined) {
      checked = checkFile(text);
      cache?.set(key, checked);
    }
    if (checked.pointers) diagnostics.addFile(file, checked.pointers);
    for (const e of checked.errors)
      diagnostics.error(e.code, e.message, file, e.pointer, e.position);
    // A cached raw object may be handed out again: everything downstream copies before changing anything.
    if (checked.parsed) parsed.push({ file, ...checked.parsed });
  }
  if (cache) for (const key of cache.keys()) if (!seen.has(key)) cache.delete(key);

  const byName = new Map<string, string>();
  const named: {
    name: string;
    file: string;
    raw: Record<string, unknown>;
    pointers: ReadonlyMap<string, SourcePosition>;
  }[] = [];
  for (const entry of parsed) {
    const name = modelName(entry.file, entry.raw);
    if (!isIdentifier(name)) {
      diagnostics.error(
        "SCHEMA_BAD_MODEL_NAME",
        `model name ${JSON.stringify(name)} is not an identifier`,
        entry.file,
        "/title",
      );
      continue;
    }
    const previous = byName.get(name);
    if (previous !== undefined) {
      diagnostics.error(
        "SCHEMA_DUPLICATE_MODEL",
        `model ${name} is already defined in ${previous}`,
        entry.file,
        entry.raw["title"] === undefined ? "" : "/title",
      );
      continue;
    }
    byName.set(name, entry.file);
    named.push({ ...entry, name });
  }

  const fileToModel = new Map(named.map((m) => [m.file, m.name]));
  const rawByModel = new Map(named.map((m) => [m.name, m.raw]));
  const index = indexResources(named);
  return named.map((m) => {
    const keepResources = usesDynamicScope(m.raw);
    const resolveRef = (ref: string, pointer: string, at: RefLocation): string => {
      if (isSchemaAjvHolds(ref)) return ref;
      const target = resolveReference(ref, {
        fromModel: m.name,
        fromFile: m.file,
        ...at,
        fileToModel,
        rawByModel,
        index,
      });
      if (typeof target === "string") {
        diagnostics.error("SCHEMA_UNKNOWN_REF", target, m.file, pointer);
        return ref;
      }
      if (!at.inRoot && keepResources) return ref;
      return target.pointer === "" ? target.model : `${target.model}#${target.pointer}`;
    };
    const normalized = rewriteRefs(m.name, m.file, m.raw, keepResources, resolveRef);
    delete normalized["$schema"];
    normalized["$id"] = m.name;
    return { name: m.name, file: m.file, raw: m.raw, normalized, pointers: m.pointers };
  });
}

/** An absolute reference to a schema every perstore ajv holds: the draft 2020-12 meta-schemas. */
function isSchemaAjvHolds(ref: string): boolean {
  const hash = ref.indexOf("#");
  const uri = hash < 0 ? ref : ref.slice(0, hash);
  return uri.startsWith("https://json-schema.org/draft/2020-12/") && metaSchemaUris().has(uri);
}

let metaUris: ReadonlySet<string> | undefined;
function metaSchemaUris(): ReadonlySet<string> {
  metaUris ??= new Set(Object.keys(createAjv().schemas));
  return metaUris;
}

/** Model name: the schema's `title` when set, else the file name in PascalCase. */
function modelName(file: string, raw: Record<string, unknown>): string {
  const title = raw["title"];
  if (typeof title === "string") return title;
  return pascalCase(posix.basename(file).slice(0, -SUFFIX.length));
}

/**
 * A copy of `raw` with the `$ref` of every schema position resolved to
 * `Model#/pointer` form; values that are data (`const`, `enum`, `default`,
 * `examples`, perstore keywords) are copied as they are, even when they hold
 * a `$ref` key. Once every reference names its model, a model is one schema
 * resource: the `$id` and `$anchor` of its subschemas are dropped, so ajv
 * reads `Model#/pointer` against the model wherever it is written. Except
 * with `$dynamicRef`, whose meaning depends on the resources a value is
 * checked through: then subschemas keep their `$id`, and a reference written
 * inside one is checked here but kept as written (ajv resolves it against
 * that resource's URI, where `Model#/pointer` would not resolve). A reference
 * to a schema ajv itself holds (the draft 2020-12 meta-schemas) is kept as
 * written.
 */
function rewriteRefs(
  model: string,
  file: string,
  raw: Record<string, unknown>,
  keepResources: boolean,
  resolve: (ref: string, pointer: string, context: RefLocation) => string,
): Record<string, unknown> {
  // structuredClone keeps a "__proto__" key as an own data property.
  const copy = structuredClone(raw);
  const rootId = typeof raw["$id"] === "string" ? resolveUri(raw["$id"], fileUri(file)) : undefined;
  const stack: { schema: Record<string, unknown>; pointer: string; at: RefLocation }[] = [
    {
      schema: copy,
      pointer: "",
      at: { base: rootId ?? fileUri(file), inRoot: true, resource: { model, pointer: "" } },
    },
  ];
  for (let item = stack.pop(); item; item = stack.pop()) {
    let at = item.at;
    if (item.pointer !== "") {
      const id = item.schema["$id"];
      const base = typeof id === "string" ? resolveUri(id, at.base) : undefined;
      if (base !== undefined)
        at = { base, inRoot: false, resource: { model, pointer: pointerFragment(item.pointer) } };
    }
    const ref = item.schema["$ref"];
    if (typeof ref === "string") item.schema["$ref"] = resolve(ref, `${item.pointer}/$ref`, at);
    for (const sub of subschemasOf(item.schema, item.pointer))
      stack.push({ schema: sub.schema as Record<string, unknown>, pointer: sub.pointer, at });
    if (!keepResources && item.pointer !== "") {
      delete item.schema["$id"];
      delete item.schema["$anchor"];
    }
  }
  return copy;
}

/** Whether any schema position of `raw` uses `$dynamicRef` or `$dynamicAnchor`. */
function usesDynamicScope(raw: Record<string, unknown>): boolean {
  const stack: { schema: Record<string, unknown>; pointer: string }[] = [
    { schema: raw, pointer: "" },
  ];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if ("$dynamicRef" in item.schema || "$dynamicAnchor" in item.schema) return true;
    for (const sub of subschemasOf(item.schema, item.pointer))
      stack.push({ schema: sub.schema as Record<string, unknown>, pointer: sub.pointer });
  }
  return false;
}

/** Where a `$ref` is written: its resource's base URI and place in the model. */
interface RefLocation {
  readonly base: string;
  readonly inRoot: boolean;
  readonly resource: RefTarget;
}

/**
 * The cache entry of a file whose text an earlier build already checked
 * without finding a problem (the build cache says so): parsed for its
 * positions, the keyword checks not run again. Anything unexpected falls
 * back to the full check.
 */
export function previouslyCheckedFile(text: string): CheckedFile {
  try {
    const { data, pointers } = parseJsonWithPointers(text);
    if (data !== null && typeof data === "object" && !Array.isArray(data))
      return { parsed: { raw: data as Record<string, unknown>, pointers }, pointers, errors: [] };
  } catch {
    // not what the cache said: check it in full
  }
  return checkFile(text);
}

function checkFile(text: string): CheckedFile {
  const errors: { code: string; message: string; pointer: string; position?: SourcePosition }[] =
    [];
  let data: unknown;
  let pointers: ReadonlyMap<string, SourcePosition>;
  try {
    ({ data, pointers } = parseJsonWithPointers(text));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return {
      errors: [
        {
          code: "SCHEMA_SYNTAX",
          message: error.message,
          pointer: "",
          position: { line: error.line, column: error.column },
        },
      ],
    };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      pointers,
      errors: [
        { code: "SCHEMA_INVALID", message: "a model schema must be a JSON object", pointer: "" },
      ],
    };
  }
  if (checkers === undefined) {
    const schema = createAjv({ allErrors: true });
    checkers = {
      meta: createAjv({ allErrors: true, strict: false, verbose: true }).compile(
        perstoreMetaSchema,
      ),
      schema,
      known: knownKeywordsOf(schema),
    };
  }
  const raw = data as Record<string, unknown>;
  if (!checkers.meta(raw))
    errors.push(...metaSchemaProblems(checkers.meta.errors ?? [], raw, "SCHEMA_KEYWORD"));
  // ajv's own draft 2020-12 meta-schema; `$ref`s are not resolved here.
  const { $schema: _ignored, ...withoutMeta } = raw;
  if (!checkers.schema.validateSchema(withoutMeta))
    errors.push(...metaSchemaProblems(checkers.schema.errors ?? [], withoutMeta, "SCHEMA_INVALID"));
  errors.push(...checkSchemaKeywords(raw, checkers.known));
  return { parsed: { raw, pointers }, pointers, errors };
}
