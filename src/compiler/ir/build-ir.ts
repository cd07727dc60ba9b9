/**
 * Second pass: from parsed model sources to the readonly, sorted, fully
 * resolved ProjectIR. Inheritance, properties, indexes, links, mixins, named
 * queries and facets are checked here, one module per keyword; every problem
 * becomes a diagnostic and all of them are thrown together.
 */
import { Diagnostics } from "../load/diagnostics.js";
import { deepFreeze } from "./deep-freeze.js";
import { derefFrom } from "./deref-from.js";
import { checkFacetQueries } from "./facet-queries.js";
import { checkSubModelFacets } from "./facet-sub-models.js";
import { facetsOf } from "./facets-of.js";
import { fullTextOf } from "./full-text-of.js";
import { indexesOf } from "./indexes-of.js";
import { resolveInheritance } from "./inheritance.js";
import { linksOf } from "./links-of.js";
import { mixinModulesOf, mixinPrototype } from "./mixin-prototype.js";
import {
  readModelSources,
  type ModelSource,
  type SchemaSource,
  type SourceCache,
} from "./model-sources.js";
import { snakeCase } from "./names.js";
import { propertiesOf } from "./properties-of.js";
import type { Deref } from "./property-ir.js";
import { queriesOf, withInheritedQueries } from "./queries-of.js";
import type { ParameterHints } from "./query-parameters.js";
import { querySchemaOf } from "./query-schema-of.js";
import { reportRefCycles } from "./ref-cycles.js";
import type { ModelIR, NamedQueryIR, ProjectIR } from "./types.js";
import type { QuerySchema } from "../../query/ast.js";

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

/** Build the project IR; throws `SchemaErrors` listing every diagnostic. Never mutates `sources`. */
export function buildProjectIR(
  sources: readonly SchemaSource[],
  options: BuildIROptions,
): ProjectIR {
  const diagnostics = new Diagnostics();
  const sorted = [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const models = readModelSources(sorted, diagnostics, options.sourceCache);
  const byName = new Map(models.map((m) => [m.name, m]));
  reportRefCycles(models, byName, diagnostics);
  const deref = (m: ModelSource): Deref => derefFrom(byName, m);

  const { bases, chain, subModelsOf } = resolveInheritance(models, byName, diagnostics);
  const propertiesByModel = propertiesOf(models, byName, chain, deref);
  const primaryKeyOf = (name: string): string => {
    for (const n of [name, ...[...chain(name)].reverse()]) {
      const pk = byName.get(n)?.normalized["primaryKey"];
      if (typeof pk === "string") return pk;
    }
    return "id";
  };
  const mixinModules = mixinModulesOf(models);
  const mixinExports = options.readMixins([...new Set(mixinModules.values())].sort());

  const queryContext = new Map<
    string,
    {
      source: ModelSource;
      schema: QuerySchema;
      hints: ParameterHints;
      own: readonly NamedQueryIR[];
    }
  >();
  const irs: { -readonly [K in keyof ModelIR]: ModelIR[K] }[] = models.map((m) => {
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
    const hints: ParameterHints = {
      itemTypes: new Map(properties.filter((p) => p.items).map((p) => [p.name, p.items!.type])),
      enums: new Map(properties.filter((p) => p.enum).map((p) => [p.name, p.enum!])),
    };
    const queries = queriesOf(m, querySchema, hints, diagnostics);
    queryContext.set(m.name, { source: m, schema: querySchema, hints, own: queries });

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
        // A base's links were reported when the base itself was built.
        ...chain(m.name).flatMap((b) =>
          linksOf(byName.get(b)!, propertiesByModel, primaryKeyOf, undefined),
        ),
        ...linksOf(m, propertiesByModel, primaryKeyOf, diagnostics),
      ],
      queries,
      facets: facetsOf(m, querySchema, has, diagnostics),
    };
    const base = bases.get(m.name);
    if (base !== undefined) ir.base = base;
    const fullText = fullTextOf(m, properties, base !== undefined, diagnostics);
    if (fullText !== undefined) ir.fullText = fullText;
    const module = mixinModules.get(m.name);
    if (module !== undefined) {
      const prototype = mixinPrototype(m, module, mixinExports.get(module), diagnostics);
      if (prototype !== undefined) ir.prototype = prototype;
    }
    return ir;
  });

  // Sub-models inherit their ancestors' named queries, bound to their own schema, and their root's fullText.
  const byModel = new Map(irs.map((ir) => [ir.name, ir]));
  for (const ir of irs) {
    const ancestors = chain(ir.name);
    if (ancestors.length === 0) continue;
    const rootFullText = byModel.get(ancestors[0]!)?.fullText;
    if (rootFullText !== undefined) ir.fullText = rootFullText;
    const { source, schema, hints, own } = queryContext.get(ir.name)!;
    ir.queries = withInheritedQueries(
      source,
      own,
      ancestors.map((name) => ({ name, queries: queryContext.get(name)?.own ?? [] })),
      schema,
      hints,
      diagnostics,
    );
  }

  // Facets expose named queries, inherited ones included.
  for (const ir of irs) checkFacetQueries(byName.get(ir.name)!, ir.facets, ir.queries, diagnostics);
  // A sub-model's facet decides what its base's same-named facet shows of its records.
  checkSubModelFacets(irs, byName, chain, diagnostics);

  diagnostics.throwIfAny();
  irs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return deepFreeze({ models: irs });
}
