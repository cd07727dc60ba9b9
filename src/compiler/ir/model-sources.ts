/**
 * The first pass over schema files: parse with positions, name each model,
 * check perstore keywords against their meta-schema, and resolve `$ref`s to
 * `Model#/pointer` form. Every problem is reported to `Diagnostics`.
 */
import { posix } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import {
  JsonSyntaxError,
  parseJsonWithPointers,
  type SourcePosition,
} from "../load/json-source-map.js";
import type { Diagnostics } from "../load/diagnostics.js";
import { perstoreMetaSchema } from "../load/vocabulary.js";
import { createAjv } from "../load/create-ajv.js";
import { getByPointer } from "./json-pointer.js";
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

/** A resolved reference: the model and the pointer inside it ("" for the whole model). */
export interface RefTarget {
  readonly model: string;
  readonly pointer: string;
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
let checkers: { meta: ValidateFunction; schema: ReturnType<typeof createAjv> } | undefined;

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
  return named.map((m) => {
    const resolveRef = (ref: string, pointer: string): string => {
      const target = resolveReference(ref, m.name, m.file, fileToModel, rawByModel);
      if (typeof target === "string") {
        diagnostics.error("SCHEMA_UNKNOWN_REF", target, m.file, pointer);
        return ref;
      }
      return target.pointer === "" ? target.model : `${target.model}#${target.pointer}`;
    };
    const normalized = rewriteRefs(m.raw, resolveRef);
    delete normalized["$schema"];
    normalized["$id"] = m.name;
    return { name: m.name, file: m.file, raw: m.raw, normalized, pointers: m.pointers };
  });
}

/** Model name: the schema's `title` when set, else the file name in PascalCase. */
function modelName(file: string, raw: Record<string, unknown>): string {
  const title = raw["title"];
  if (typeof title === "string") return title;
  return pascalCase(posix.basename(file).slice(0, -SUFFIX.length));
}

/**
 * Resolve `#/ptr`, `Model`, `Model#/ptr` or `other.schema.json#/ptr` from a
 * model; a string is the reason it cannot be resolved.
 */
export function resolveReference(
  ref: string,
  fromModel: string,
  fromFile: string,
  fileToModel: ReadonlyMap<string, string>,
  rawByModel: ReadonlyMap<string, Record<string, unknown>>,
): RefTarget | string {
  const hash = ref.indexOf("#");
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const pointer = hash < 0 ? "" : ref.slice(hash + 1);
  let model: string | undefined;
  if (base === "") model = fromModel;
  else if (base.endsWith(".json")) {
    model = fileToModel.get(posix.normalize(posix.join(posix.dirname(fromFile), base)));
    if (model === undefined) return `$ref ${JSON.stringify(ref)}: no model schema file ${base}`;
  } else if (rawByModel.has(base)) model = base;
  else return `$ref ${JSON.stringify(ref)}: no model named ${base}`;
  if (pointer !== "" && getByPointer(rawByModel.get(model), pointer) === undefined) {
    return `$ref ${JSON.stringify(ref)}: ${model} has nothing at ${pointer}`;
  }
  return { model, pointer };
}

/**
 * A copy of `raw` with the `$ref` of every schema position resolved; values
 * that are data (`const`, `enum`, `default`, `examples`, perstore keywords)
 * are copied as they are, even when they hold a `$ref` key.
 */
function rewriteRefs(
  raw: Record<string, unknown>,
  resolve: (ref: string, pointer: string) => string,
): Record<string, unknown> {
  // structuredClone keeps a "__proto__" key as an own data property.
  const copy = structuredClone(raw);
  const stack: { schema: Record<string, unknown>; pointer: string }[] = [
    { schema: copy, pointer: "" },
  ];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const ref = item.schema["$ref"];
    if (typeof ref === "string") item.schema["$ref"] = resolve(ref, `${item.pointer}/$ref`);
    for (const sub of subschemasOf(item.schema, item.pointer))
      stack.push({ schema: sub.schema as Record<string, unknown>, pointer: sub.pointer });
  }
  return copy;
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
  checkers ??= {
    meta: createAjv({ allErrors: true, strict: false }).compile(perstoreMetaSchema),
    schema: createAjv({ allErrors: true }),
  };
  const raw = data as Record<string, unknown>;
  if (!checkers.meta(raw)) errors.push(...ajvErrors(checkers.meta.errors ?? [], "SCHEMA_KEYWORD"));
  // ajv's own draft 2020-12 meta-schema; `$ref`s are not resolved here.
  const { $schema: _ignored, ...withoutMeta } = raw;
  if (!checkers.schema.validateSchema(withoutMeta))
    errors.push(...ajvErrors(checkers.schema.errors ?? [], "SCHEMA_INVALID"));
  return { parsed: { raw, pointers }, pointers, errors };
}

function ajvErrors(
  errors: readonly ErrorObject[],
  code: string,
): { code: string; message: string; pointer: string }[] {
  const out: { code: string; message: string; pointer: string }[] = [];
  for (const e of errors) {
    // anyOf/oneOf summaries repeat their branches' errors.
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    const detail =
      e.keyword === "additionalProperties" ? ` (${String(e.params["additionalProperty"])})` : "";
    out.push({ code, message: `${e.message ?? e.keyword}${detail}`, pointer: e.instancePath });
  }
  return out;
}
