/**
 * Data interfaces with json-schema-to-typescript: `<Model>Data` per model.
 * `$ref`s become references to named types (`tsType`) so a shared `$defs`
 * type is emitted once, in its owning model's file, and imported elsewhere;
 * a sub-model's data extends its base's.
 */
import { compile } from "json-schema-to-typescript";
import type { JSONSchema4 } from "json-schema";
import { getByPointer } from "../ir/json-pointer.js";
import { kebabCase, pascalCase } from "../ir/names.js";
import type { ModelIR, ProjectIR } from "../ir/types.js";
import type { EmittedFile } from "./emitted-file.js";
import type { EmitContext } from "./emitters.js";
import { plainDeclarationsAsPrettierPrints } from "./plain-declarations.js";
import { selectedModels } from "./selected-models.js";

const PERSTORE_KEYWORDS = [
  "primaryKey",
  "indexes",
  "links",
  "prototype",
  "queries",
  "facets",
  "$id",
  "$defs",
  "$schema",
];

const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples"]);

/** Keywords json-schema-to-typescript derives a type from; a schema with none of them admits anything. */
const TYPE_KEYWORDS = [
  "type",
  "const",
  "enum",
  "tsType",
  "allOf",
  "anyOf",
  "oneOf",
  "properties",
  "additionalProperties",
  "patternProperties",
  "items",
  "prefixItems",
];

/** The TS name of a `$defs` entry: its title, else its key in PascalCase. */
export function defTypeName(key: string, schema: unknown): string {
  const title = (schema as { title?: unknown } | null)?.title;
  return typeof title === "string" && /^[A-Za-z_$][\w$]*$/.test(title) ? title : pascalCase(key);
}

/** `<model>.types.ts` for every model (or those `context.models` names). */
export async function emitDataTypes(
  ir: ProjectIR,
  context: Pick<EmitContext, "models"> = {},
): Promise<EmittedFile[]> {
  const byName = new Map(ir.models.map((m) => [m.name, m]));
  const files: EmittedFile[] = [];
  for (const model of selectedModels(ir, context)) files.push(await emitModelTypes(model, byName));
  return files;
}

async function emitModelTypes(
  model: ModelIR,
  byName: ReadonlyMap<string, ModelIR>,
): Promise<EmittedFile> {
  const imports = new Map<string, Set<string>>();
  /** The TS type a `$ref` stands for: a model's data, a named `$defs` type, or the target inlined. */
  const refType = (ref: string, inlining: ReadonlySet<string>): string | object => {
    const hash = ref.indexOf("#");
    const target = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? "" : ref.slice(hash + 1);
    const owner = target;
    const ownerIR = byName.get(owner);
    // A schema outside the project (the draft 2020-12 meta-schema), or a reference kept relative
    // to a subschema's own `$id` (see model-sources.ts): any JSON value.
    if (ownerIR === undefined) return "unknown";
    const def = /^\/\$defs\/[^/]+$/.test(pointer);
    if (pointer !== "" && !def) {
      // Anywhere else (`#/properties/x`, a nested `$defs`): the schema there, inline.
      const key = `${owner}#${pointer}`;
      if (inlining.has(key)) return "unknown";
      return prepare(
        getByPointer(ownerIR.schema, pointer),
        false,
        new Set([...inlining, key]),
      ) as object;
    }
    const name =
      pointer === ""
        ? `${owner}Data`
        : defTypeName(pointer.split("/").pop()!, getByPointer(ownerIR.schema, pointer));
    if (owner !== model.name) {
      const file = `./${kebabCase(owner)}.types.js`;
      if (!imports.has(file)) imports.set(file, new Set());
      imports.get(file)!.add(name);
    }
    return name;
  };
  const prepare = (
    node: unknown,
    top: boolean,
    inlining: ReadonlySet<string> = new Set(),
  ): unknown => {
    if (Array.isArray(node)) return node.map((n) => prepare(n, false, inlining));
    if (node === null || typeof node !== "object") return node;
    const record = node as Record<string, unknown>;
    if (typeof record["$ref"] === "string") {
      const type = refType(record["$ref"], inlining);
      const description =
        typeof record["description"] === "string" ? { description: record["description"] } : {};
      return typeof type === "string"
        ? { tsType: type, ...description }
        : { ...type, ...description };
    }
    // json-schema-to-typescript dereferences every `$ref` key it finds, data included: a
    // `const`/`enum` holding one is typed here, as the literal it is.
    if (holdsRefKey(record["const"])) return { tsType: literalType(record["const"]) };
    if (Array.isArray(record["enum"]) && holdsRefKey(record["enum"]))
      return { tsType: record["enum"].map(literalType).join(" | ") };
    // json-schema-to-typescript reads a schema that names no type as an object; `{ "minimum": 0 }`
    // admits any value (only numbers must be >= 0).
    if (!top && !TYPE_KEYWORDS.some((k) => Object.hasOwn(record, k))) return { tsType: "unknown" };
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (top && PERSTORE_KEYWORDS.includes(key)) continue;
      // Nested titles would become separate named types; keep nested types inline.
      if (!top && key === "title") continue;
      // Annotations of the user's own, and examples or defaults holding a `$ref` key, say nothing of the type.
      if (key.startsWith("x-") || ((key === "default" || key === "examples") && holdsRefKey(value)))
        continue;
      // Values, not schemas: a `$ref` key in them is data.
      if (DATA_KEYWORDS.has(key)) {
        out[key] = value;
        continue;
      }
      out[key] =
        key === "properties" || key === "$defs"
          ? mapValues(value, (v) => prepare(v, false, inlining))
          : prepare(value, false, inlining);
    }
    return out;
  };
  const options = {
    bannerComment: "",
    format: false,
    declareExternallyReferenced: true,
    additionalProperties: true,
  } as const;
  const parts: string[] = [];
  const defs = model.schema["$defs"];
  if (defs !== null && typeof defs === "object") {
    for (const [key, def] of Object.entries(defs as Record<string, unknown>)) {
      const name = defTypeName(key, def);
      const schema = { ...(prepare(def, true) as object), title: name } as JSONSchema4;
      parts.push(await compile(schema, name, options));
    }
  }
  const root = {
    ...(prepare(model.schema, true) as object),
    title: `${model.name}Data`,
  } as JSONSchema4;
  parts.push(await compile(root, `${model.name}Data`, options));
  const header = [...imports.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, names]) => `import type { ${[...names].sort().join(", ")} } from "${file}";`)
    .join("\n");
  const contents = `${header}\n\n${parts.join("\n")}`;
  // Plain interfaces are written as prettier prints them, so the build need not run prettier on them.
  const plain = plainDeclarationsAsPrettierPrints(contents);
  return {
    path: `${kebabCase(model.name)}.types.ts`,
    source: model.file,
    ...(plain === undefined
      ? { contents }
      : { contents: plain, preformattedLines: plain.split("\n").length - 1 }),
    model: model.name,
  };
}

/** Whether a JSON value holds an object with a `$ref` key anywhere. */
function holdsRefKey(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(holdsRefKey);
  return Object.hasOwn(value, "$ref") || Object.values(value).some(holdsRefKey);
}

/** The TS literal type of a JSON value. */
function literalType(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `readonly [${value.map(literalType).join(", ")}]`;
  const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literalType(v)}`);
  return `{ ${members.join("; ")} }`;
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
}
