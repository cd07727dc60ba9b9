/**
 * Where every `$ref` of the project's schema files points, in JSON Schema's
 * own terms: a schema resource is a model file (by its path, its name, and
 * the `$id` it declares) or a subschema with its own `$id`; `$anchor` and
 * `$dynamicAnchor` name a subschema inside one; a reference is resolved
 * against the base URI of the resource it is written in. perstore's own forms
 * come first in a model's root resource: `#/pointer`, `Model`, `Model#/ptr`,
 * `other.schema.json#/ptr`.
 */
import { posix } from "node:path";
import { getByPointer } from "./json-pointer.js";
import { subschemasOf } from "./subschemas.js";

/** A resolved reference: the model and the pointer inside it ("" for the whole model). */
export interface RefTarget {
  readonly model: string;
  /** A URI fragment: JSON pointer segments percent-encoded where needed. */
  readonly pointer: string;
}

/** Every resource and anchor of the project, by absolute URI. */
export interface SchemaResources {
  readonly resources: ReadonlyMap<string, RefTarget>;
  readonly anchors: ReadonlyMap<string, RefTarget>;
}

/** The URI a model file has when it declares no `$id`. */
export function fileUri(file: string): string {
  return new URL(file.split("/").map(encodeURIComponent).join("/"), "file:///").href;
}

/** `base` resolved against `uri`, without its fragment; undefined when it does not resolve. */
export function resolveUri(ref: string, base: string): string | undefined {
  try {
    const url = new URL(ref, base);
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}

/** A pointer to a fragment ajv and `getByPointer` read back (each segment URI-encoded where needed). */
export function pointerFragment(pointer: string): string {
  return pointer
    .split("/")
    .map((segment) => encodeURI(segment).replace(/[#?]/g, encodeURIComponent))
    .join("/");
}

/** Index the resources and anchors of every model. */
export function indexResources(
  models: readonly { name: string; file: string; raw: Record<string, unknown> }[],
): SchemaResources {
  const resources = new Map<string, RefTarget>();
  const anchors = new Map<string, RefTarget>();
  for (const m of models) {
    const fromFile = fileUri(m.file);
    resources.set(fromFile, { model: m.name, pointer: "" });
    const stack = [{ schema: m.raw, pointer: "", base: fromFile }];
    for (let item = stack.pop(); item; item = stack.pop()) {
      let base = item.base;
      const id = item.schema["$id"];
      if (typeof id === "string") {
        const uri = resolveUri(id, base);
        if (uri !== undefined) {
          base = uri;
          if (!resources.has(uri))
            resources.set(uri, { model: m.name, pointer: pointerFragment(item.pointer) });
        }
      }
      for (const keyword of ["$anchor", "$dynamicAnchor"]) {
        const anchor = item.schema[keyword];
        if (typeof anchor === "string" && !anchors.has(`${base}#${anchor}`))
          anchors.set(`${base}#${anchor}`, {
            model: m.name,
            pointer: pointerFragment(item.pointer),
          });
      }
      for (const sub of subschemasOf(item.schema, item.pointer))
        stack.push({ schema: sub.schema as Record<string, unknown>, pointer: sub.pointer, base });
    }
  }
  return { resources, anchors };
}

export interface RefContext {
  readonly fromModel: string;
  readonly fromFile: string;
  /** The base URI of the resource the reference is written in. */
  readonly base: string;
  /** Whether that resource is the model file itself (not a subschema with its own `$id`). */
  readonly inRoot: boolean;
  /** Where the resource the reference is written in sits in its model. */
  readonly resource: RefTarget;
  readonly fileToModel: ReadonlyMap<string, string>;
  readonly rawByModel: ReadonlyMap<string, Record<string, unknown>>;
  readonly index: SchemaResources;
}

/**
 * Resolve `ref` written in the resource `context` describes; a string is the
 * reason it cannot be resolved.
 */
export function resolveReference(ref: string, context: RefContext): RefTarget | string {
  const hash = ref.indexOf("#");
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? "" : ref.slice(hash + 1);
  const target =
    base === ""
      ? context.resource
      : ((context.inRoot ? perstoreForm(base, context) : undefined) ??
        context.index.resources.get(resolveUri(base, context.base) ?? "") ??
        perstoreForm(base, context));
  const quoted = JSON.stringify(ref);
  if (target === undefined)
    return base.endsWith(".json") && !/^[a-z][a-z0-9+.-]*:/i.test(base)
      ? `$ref ${quoted}: no model schema file ${base}`
      : /^[a-z][a-z0-9+.-]*:/i.test(base)
        ? `$ref ${quoted}: no schema in the project has $id ${base} (perstore never fetches schemas)`
        : `$ref ${quoted}: no model named ${base}`;
  if (fragment === "") return target;
  if (!fragment.startsWith("/")) {
    const resourceUri = base === "" ? context.base : resolveUri(base, context.base);
    const anchored = context.index.anchors.get(`${resourceUri}#${fragment}`);
    if (anchored !== undefined) return anchored;
    return `$ref ${quoted}: no $anchor ${JSON.stringify(fragment)} in ${target.model}`;
  }
  const pointer = `${target.pointer}${fragment}`;
  let found: unknown;
  try {
    found = getByPointer(context.rawByModel.get(target.model), pointer);
  } catch {
    found = undefined; // a malformed %-escape
  }
  if (found === undefined) return `$ref ${quoted}: ${target.model} has nothing at ${fragment}`;
  return { model: target.model, pointer };
}

/** `Model` or `other.schema.json` (relative to the referring file). */
function perstoreForm(base: string, context: RefContext): RefTarget | undefined {
  if (base.endsWith(".json")) {
    const model = context.fileToModel.get(
      posix.normalize(posix.join(posix.dirname(context.fromFile), base)),
    );
    return model === undefined ? undefined : { model, pointer: "" };
  }
  return context.rawByModel.has(base) ? { model: base, pointer: "" } : undefined;
}
