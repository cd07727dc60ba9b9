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
  const refType = (ref: string): string => {
    const hash = ref.indexOf("#");
    const target = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? "" : ref.slice(hash + 1);
    const owner = target === "" ? model.name : target;
    const name =
      pointer === ""
        ? `${owner}Data`
        : defTypeName(pointer.split("/").pop()!, getByPointer(byName.get(owner)?.schema, pointer));
    if (owner !== model.name) {
      const file = `./${kebabCase(owner)}.types.js`;
      if (!imports.has(file)) imports.set(file, new Set());
      imports.get(file)!.add(name);
    }
    return name;
  };
  const prepare = (node: unknown, top: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => prepare(n, false));
    if (node === null || typeof node !== "object") return node;
    const record = node as Record<string, unknown>;
    if (typeof record["$ref"] === "string") {
      const name = refType(record["$ref"]);
      return {
        tsType: name,
        ...(typeof record["description"] === "string"
          ? { description: record["description"] }
          : {}),
      };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (top && PERSTORE_KEYWORDS.includes(key)) continue;
      // Nested titles would become separate named types; keep nested types inline.
      if (!top && key === "title") continue;
      // Values, not schemas: a `$ref` key in them is data.
      if (DATA_KEYWORDS.has(key)) {
        out[key] = value;
        continue;
      }
      out[key] =
        key === "properties" || key === "$defs"
          ? mapValues(value, (v) => prepare(v, false))
          : prepare(value, false);
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
  return {
    path: `${kebabCase(model.name)}.types.ts`,
    source: model.file,
    contents: `${header}\n\n${parts.join("\n")}`,
    model: model.name,
  };
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
}
