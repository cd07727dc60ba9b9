/**
 * Second pass: from parsed model sources to the readonly, sorted, fully
 * resolved ProjectIR. Inheritance, properties, indexes, links, mixins, named
 * queries and facets are checked here; every problem becomes a diagnostic and
 * all of them are thrown together.
 */
import { posix } from "node:path";
import { QueryError } from "../../errors/index.js";
import type { FieldType, JsonQuery, Query, QuerySchema } from "../../query/ast.js";
import { parseQuery } from "../../query/index.js";
import { Diagnostics } from "../load/diagnostics.js";
import { deepFreeze } from "./deep-freeze.js";
import { getByPointer } from "./json-pointer.js";
import {
  readModelSources,
  type ModelSource,
  type SchemaSource,
  type SourceCache,
} from "./model-sources.js";
import { snakeCase } from "./names.js";
import { propertyIR } from "./property-ir.js";
import { queryParameters } from "./query-parameters.js";
import type {
  FacetIR,
  IndexIR,
  LinkIR,
  ModelIR,
  NamedQueryIR,
  ProjectIR,
  PropertyIR,
} from "./types.js";

export interface BuildIROptions {
  /**
   * Exported function names of mixin modules, keyed by path relative to the
   * project root (posix); `undefined` when the file does not exist. Called
   * once with every module the schemas name.
   */
  readonly readMixins: (
    modules: readonly string[],
  ) => ReadonlyMap<string, readonly string[] | undefined>;
  /** Per-file parse/check results kept across builds (watch mode). */
  readonly sourceCache?: SourceCache;
}

/** Every operator a facet's `operators` may list. */
export const QUERY_OPERATORS: readonly string[] = [
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "in",
  "out",
  "contains",
  "excludes",
  "starts",
  "ends",
  "match",
  "between",
  "isnull",
  "notnull",
  "and",
  "or",
  "not",
  "search",
  "sort",
  "limit",
  "select",
  "unselect",
  "values",
  "distinct",
  "count",
  "sum",
  "mean",
  "min",
  "max",
  "first",
  "one",
  "aggregate",
  "recurse",
];

/** Build the project IR; throws `SchemaErrors` listing every diagnostic. Never mutates `sources`. */
export function buildProjectIR(
  sources: readonly SchemaSource[],
  options: BuildIROptions,
): ProjectIR {
  const diagnostics = new Diagnostics();
  const sorted = [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const models = readModelSources(sorted, diagnostics, options.sourceCache);
  const byName = new Map(models.map((m) => [m.name, m]));

  const deref =
    (from: ModelSource) =>
    (schema: Record<string, unknown>): Record<string, unknown> => {
      let current = schema;
      let owner = from;
      for (let hops = 0; hops < 32 && typeof current["$ref"] === "string"; hops++) {
        const ref = current["$ref"];
        const hash = ref.indexOf("#");
        const target = hash < 0 ? ref : ref.slice(0, hash);
        owner = target === "" ? owner : (byName.get(target) ?? owner);
        const found = getByPointer(owner.normalized, hash < 0 ? "" : ref.slice(hash + 1));
        if (found === null || typeof found !== "object") return current;
        current = found as Record<string, unknown>;
      }
      return current;
    };

  // Inheritance: the first allOf entry that references a whole model.
  const bases = new Map<string, string>();
  for (const m of models) {
    const allOf = m.normalized["allOf"];
    if (!Array.isArray(allOf)) continue;
    allOf.forEach((entry: unknown, i) => {
      const ref = (entry as Record<string, unknown> | null)?.["$ref"];
      if (typeof ref !== "string" || ref.includes("#") || !byName.has(ref)) return;
      if (bases.has(m.name)) {
        diagnostics.error(
          "SCHEMA_MULTIPLE_BASES",
          `a model has one base; ${m.name} already extends ${bases.get(m.name)}`,
          m.file,
          `/allOf/${i}/$ref`,
        );
      } else bases.set(m.name, ref);
    });
  }
  for (const m of models) {
    const seen = [m.name];
    for (let b = bases.get(m.name); b !== undefined; b = bases.get(b)) {
      if (b === m.name) {
        diagnostics.error(
          "SCHEMA_INHERITANCE_CYCLE",
          `inheritance cycle: ${[...seen, b].join(" -> ")}`,
          m.file,
          baseRefPointer(m),
        );
        bases.delete(m.name);
        break;
      }
      if (seen.includes(b)) break; // a cycle further up; reported on its own members
      seen.push(b);
    }
  }
  const chains = new Map<string, string[]>();
  const chain = (name: string): string[] => {
    let out = chains.get(name);
    if (out) return out;
    out = [];
    for (
      let b = bases.get(name);
      b !== undefined && !out.includes(b) && b !== name;
      b = bases.get(b)
    )
      out.unshift(b);
    chains.set(name, out);
    return out;
  };
  // Sub-models of each model, from every model's chain once (not a scan per model).
  const subModelsOf = new Map<string, string[]>();
  for (const m of models)
    for (const b of chain(m.name)) subModelsOf.set(b, [...(subModelsOf.get(b) ?? []), m.name]);

  // Properties: inherited first (root base down), then own.
  const ownProperties = (
    m: ModelSource,
    inherited: boolean,
    requiredAll: ReadonlySet<string>,
  ): PropertyIR[] => {
    const props = m.normalized["properties"];
    if (props === null || typeof props !== "object") return [];
    return Object.entries(props as Record<string, Record<string, unknown>>).map(
      ([name, schema]) => {
        const p = propertyIR(
          name,
          schema,
          deref(m),
          `/properties/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`,
          requiredAll.has(name),
        );
        return inherited ? { ...p, inheritedFrom: m.name, unique: false, indexed: false } : p;
      },
    );
  };
  const requiredOf = (m: ModelSource): string[] =>
    Array.isArray(m.normalized["required"]) ? (m.normalized["required"] as string[]) : [];
  const propertiesByModel = new Map<string, PropertyIR[]>();
  for (const m of models) {
    const lineage = [...chain(m.name).map((n) => byName.get(n)!), m];
    const required = new Set(lineage.flatMap(requiredOf));
    const list: PropertyIR[] = [];
    for (const owner of lineage) {
      for (const p of ownProperties(owner, owner !== m, required)) {
        const at = list.findIndex((q) => q.name === p.name);
        if (at >= 0) list[at] = p;
        else list.push(p);
      }
    }
    propertiesByModel.set(m.name, list);
  }

  const primaryKeyOf = (name: string): string => {
    for (const n of [name, ...[...chain(name)].reverse()]) {
      const pk = byName.get(n)?.normalized["primaryKey"];
      if (typeof pk === "string") return pk;
    }
    return "id";
  };

  const mixinModules = new Map<string, string>();
  for (const m of models) {
    const spec = m.normalized["prototype"];
    const module =
      typeof spec === "string" ? spec : (spec as { module?: unknown } | undefined)?.module;
    if (typeof module === "string") mixinModules.set(m.name, mixinPath(m.file, module));
  }
  const mixinExports = options.readMixins([...new Set(mixinModules.values())].sort());

  const irs: ModelIR[] = models.map((m): ModelIR => {
    const properties = propertiesByModel.get(m.name)!;
    const has = (name: string): boolean => properties.some((p) => p.name === name);
    const table = snakeCase(m.name);
    const primaryKey = primaryKeyOf(m.name);
    if (!has(primaryKey)) {
      diagnostics.error(
        "SCHEMA_UNKNOWN_PRIMARY_KEY",
        `primary key ${primaryKey} is not a property of ${m.name}`,
        m.file,
        m.normalized["primaryKey"] === undefined ? "" : "/primaryKey",
      );
    }
    const querySchema = querySchemaOf(primaryKey, properties, m, deref(m));
    const itemTypes = new Map(
      properties.filter((p) => p.items).map((p) => [p.name, p.items!.type]),
    );

    const ir: { -readonly [K in keyof ModelIR]: ModelIR[K] } = {
      name: m.name,
      file: m.file,
      table,
      primaryKey,
      subModels: [...(subModelsOf.get(m.name) ?? [])].sort(),
      schema: deepFreeze(structuredClone(m.normalized)),
      properties: properties.map((p) =>
        p.name === primaryKey && !p.required ? { ...p, required: true } : p,
      ),
      additionalProperties: m.normalized["additionalProperties"] !== false,
      indexes: indexesOf(m, table, properties, diagnostics),
      links: [
        ...chain(m.name).flatMap((b) =>
          linksOf(byName.get(b)!, propertiesByModel, primaryKeyOf, undefined),
        ),
        ...linksOf(m, propertiesByModel, primaryKeyOf, diagnostics),
      ],
      queries: queriesOf(m, querySchema, itemTypes, diagnostics),
      facets: facetsOf(m, querySchema, has, diagnostics),
    };
    const base = bases.get(m.name);
    if (base !== undefined) ir.base = base;
    const module = mixinModules.get(m.name);
    if (module !== undefined) {
      const exported = mixinExports.get(module);
      const spec = m.normalized["prototype"];
      const claimed =
        typeof spec === "object" && spec !== null
          ? (spec as { exports?: string[] }).exports
          : undefined;
      if (exported === undefined) {
        diagnostics.error(
          "SCHEMA_MIXIN_NOT_FOUND",
          `prototype module ${module} does not exist`,
          m.file,
          "/prototype",
        );
      } else {
        const missing = (claimed ?? []).filter((name) => !exported.includes(name));
        missing.forEach((name) =>
          diagnostics.error(
            "SCHEMA_MIXIN_MISSING_EXPORT",
            `prototype module ${module} does not export a function ${name}`,
            m.file,
            `/prototype/exports/${claimed!.indexOf(name)}`,
          ),
        );
        if (claimed === undefined && exported.length === 0) {
          diagnostics.error(
            "SCHEMA_MIXIN_MISSING_EXPORT",
            `prototype module ${module} exports no functions`,
            m.file,
            "/prototype",
          );
        }
        ir.prototype = { module, exports: [...(claimed ?? exported)].sort() };
      }
    }
    return ir;
  });

  diagnostics.throwIfAny();
  irs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return deepFreeze({ models: irs });
}

function baseRefPointer(m: ModelSource): string {
  const allOf = m.normalized["allOf"] as unknown[];
  const i = allOf.findIndex(
    (e) => typeof (e as Record<string, unknown> | null)?.["$ref"] === "string",
  );
  return `/allOf/${i}/$ref`;
}

/** A mixin path from the schema file's folder, made root-relative; `.js` names the `.ts` source. */
function mixinPath(schemaFile: string, module: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(schemaFile), module));
  return joined.endsWith(".js") ? `${joined.slice(0, -3)}.ts` : joined;
}

/** Query fields: every property, plus nested object properties as `a/b`. */
function querySchemaOf(
  primaryKey: string,
  properties: readonly PropertyIR[],
  m: ModelSource,
  deref: (s: Record<string, unknown>) => Record<string, unknown>,
): QuerySchema {
  const fields: Record<string, FieldType> = {};
  const nested = (prefix: string, schema: Record<string, unknown>, depth: number): void => {
    const props = deref(schema)["properties"];
    if (depth > 4 || props === null || typeof props !== "object") return;
    for (const [name, sub] of Object.entries(props as Record<string, Record<string, unknown>>)) {
      const resolved = deref(sub);
      const type = propertyIR(name, sub, deref, "", false).type;
      fields[`${prefix}/${name}`] = type;
      if (type === "object") nested(`${prefix}/${name}`, resolved, depth + 1);
    }
  };
  for (const p of properties) {
    fields[p.name] = p.type;
    if (p.type === "object" && p.inheritedFrom === undefined) {
      const own = (m.normalized["properties"] as Record<string, Record<string, unknown>>)[p.name];
      if (own) nested(p.name, own, 0);
    }
  }
  return { primaryKey, fields };
}

function indexesOf(
  m: ModelSource,
  table: string,
  properties: readonly PropertyIR[],
  diagnostics: Diagnostics,
): IndexIR[] {
  const out: IndexIR[] = [];
  const add = (fields: readonly string[], unique: boolean): void => {
    const name = `${table}_${fields.join("_")}_${unique ? "key" : "idx"}`;
    if (!out.some((i) => i.name === name)) out.push({ name, fields: [...fields], unique });
  };
  const declared = m.normalized["indexes"];
  if (Array.isArray(declared)) {
    declared.forEach((index: { fields?: unknown; unique?: unknown }, i) => {
      if (!Array.isArray(index?.fields)) return;
      const fields = index.fields as string[];
      const unknown = fields.filter((f) => !properties.some((p) => p.name === f));
      unknown.forEach((f) =>
        diagnostics.error(
          "SCHEMA_UNKNOWN_INDEX_FIELD",
          `index field ${f} is not a property of ${m.name}`,
          m.file,
          `/indexes/${i}/fields/${fields.indexOf(f)}`,
        ),
      );
      if (unknown.length === 0) add(fields, index.unique === true);
    });
  }
  for (const p of properties) {
    if (p.inheritedFrom !== undefined) continue;
    if (p.unique) add([p.name], true);
    else if (p.indexed) add([p.name], false);
  }
  return out;
}

const FORWARD = /^([A-Za-z_$][\w$]*)\/\{([^{}/]+)\}$/;
const REVERSE = /^([A-Za-z_$][\w$]*)\?([^=&{}]+)=\{([^{}]+)\}$/;

function linksOf(
  m: ModelSource,
  propertiesByModel: ReadonlyMap<string, readonly PropertyIR[]>,
  primaryKeyOf: (name: string) => string,
  diagnostics: Diagnostics | undefined,
): LinkIR[] {
  const declared = m.normalized["links"];
  if (!Array.isArray(declared)) return [];
  const local = propertiesByModel.get(m.name) ?? [];
  const out: LinkIR[] = [];
  declared.forEach((link: { rel?: unknown; href?: unknown }, i) => {
    if (typeof link?.rel !== "string" || typeof link.href !== "string") return;
    const at = `/links/${i}/href`;
    const forward = FORWARD.exec(link.href);
    const reverse = forward ? null : REVERSE.exec(link.href);
    if (!forward && !reverse) {
      diagnostics?.error(
        "SCHEMA_BAD_LINK",
        `link href ${JSON.stringify(link.href)} is neither "Model/{property}" nor "Model?property={property}"`,
        m.file,
        at,
      );
      return;
    }
    const target = (forward ?? reverse)![1]!;
    const targetProps = propertiesByModel.get(target);
    if (!targetProps) {
      diagnostics?.error(
        "SCHEMA_UNKNOWN_LINK_TARGET",
        `link ${link.rel} targets unknown model ${target}`,
        m.file,
        at,
      );
      return;
    }
    const property = forward ? forward[2]! : reverse![3]!;
    const targetProperty = forward ? primaryKeyOf(target) : reverse![2]!;
    const localProp = local.find((p) => p.name === property);
    let ok = true;
    if (!localProp) {
      diagnostics?.error(
        "SCHEMA_UNKNOWN_LINK_PROPERTY",
        `link ${link.rel}: ${property} is not a property of ${m.name}`,
        m.file,
        at,
      );
      ok = false;
    }
    if (!targetProps.some((p) => p.name === targetProperty)) {
      diagnostics?.error(
        "SCHEMA_UNKNOWN_LINK_PROPERTY",
        `link ${link.rel}: ${targetProperty} is not a property of ${target}`,
        m.file,
        at,
      );
      ok = false;
    }
    if (ok)
      out.push({
        rel: link.rel,
        href: link.href,
        target,
        property,
        targetProperty,
        many: reverse !== null || localProp?.type === "array",
      });
  });
  return out;
}

function parseChecked(
  source: unknown,
  schema: QuerySchema,
  report: (code: string, message: string) => void,
): Query | undefined {
  try {
    return parseQuery(source as string | JsonQuery, { schema });
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    report(
      error.code === "QUERY_UNKNOWN_PROPERTY"
        ? "SCHEMA_QUERY_UNKNOWN_PROPERTY"
        : "SCHEMA_BAD_QUERY",
      error.message,
    );
    return undefined;
  }
}

function queriesOf(
  m: ModelSource,
  schema: QuerySchema,
  itemTypes: ReadonlyMap<string, FieldType>,
  diagnostics: Diagnostics,
): NamedQueryIR[] {
  const declared = m.normalized["queries"];
  if (declared === null || typeof declared !== "object") return [];
  const out: NamedQueryIR[] = [];
  for (const [name, source] of Object.entries(declared as Record<string, unknown>)) {
    const at = `/queries/${name}`;
    const query = parseChecked(source, schema, (code, message) =>
      diagnostics.error(code, `query ${name}: ${message}`, m.file, at),
    );
    if (!query) continue;
    try {
      out.push({
        name,
        source: structuredClone(source) as string | JsonQuery,
        query,
        parameters: queryParameters(query, schema, itemTypes),
      });
    } catch (error) {
      diagnostics.error(
        "SCHEMA_BAD_QUERY",
        `query ${name}: ${(error as Error).message}`,
        m.file,
        at,
      );
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function facetsOf(
  m: ModelSource,
  schema: QuerySchema,
  has: (name: string) => boolean,
  diagnostics: Diagnostics,
): FacetIR[] {
  const declared = m.normalized["facets"];
  if (declared === null || typeof declared !== "object") return [];
  const out: FacetIR[] = [];
  for (const [name, spec] of Object.entries(declared as Record<string, Record<string, unknown>>)) {
    const at = `/facets/${name}`;
    const list = (key: string): string[] =>
      Array.isArray(spec[key]) ? (spec[key] as string[]) : [];
    for (const key of ["hidden", "readonly"]) {
      list(key).forEach((p, i) => {
        if (!has(p))
          diagnostics.error(
            "SCHEMA_UNKNOWN_FACET_PROPERTY",
            `facet ${name}: ${p} is not a property of ${m.name}`,
            m.file,
            `${at}/${key}/${i}`,
          );
      });
    }
    list("operators").forEach((op, i) => {
      if (!QUERY_OPERATORS.includes(op))
        diagnostics.error(
          "SCHEMA_UNKNOWN_OPERATOR",
          `facet ${name}: unknown query operator ${op}`,
          m.file,
          `${at}/operators/${i}`,
        );
    });
    const facet: { -readonly [K in keyof FacetIR]: FacetIR[K] } = {
      name,
      methods: list("methods"),
      hidden: list("hidden"),
      readonly: list("readonly"),
    };
    if (spec["filter"] !== undefined) {
      const filter = parseChecked(spec["filter"], schema, (code, message) =>
        diagnostics.error(code, `facet ${name} filter: ${message}`, m.file, `${at}/filter`),
      );
      if (filter) facet.filter = filter;
    }
    if (typeof spec["maxLimit"] === "number") facet.maxLimit = spec["maxLimit"];
    if (Array.isArray(spec["operators"])) facet.operators = list("operators");
    out.push(facet);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
