/**
 * Model classes, one file per model, written as text by the small printers
 * of `declarations.ts` (prettier formats it): the class (mixin methods with
 * `this` typed, link accessors), the typed named-query interface, facet
 * types, and the `ModelDefinition` the runtime binds to a store (validator,
 * defaults, indexes, links, queries compiled ahead of time, facets, SQL
 * table spec).
 */
import { posix } from "node:path";
import {
  printDeclarations,
  type Declaration,
  type ImportDeclaration,
  type MethodDeclaration,
} from "./declarations.js";
import { compileQuery } from "../../query/index.js";
import { definitionData } from "../ir/definition-data.js";
import { kebabCase, pascalCase, withArticle } from "../ir/names.js";
import type { FacetIR, ModelIR, ProjectIR } from "../ir/types.js";
import { tableSpecsFromIR } from "./ddl/table-specs-from-ir.js";
import type { EmittedFile } from "./emitted-file.js";
import type { EmitContext } from "./emitters.js";
import { selectedModels } from "./selected-models.js";
import { parameterNames } from "./parameter-names.js";
import { toCode } from "./to-code.js";
import { tsTypeOfParameter } from "./ts-types.js";
import { RUNTIME_PACKAGE } from "../package-names.js";

/** Facet method names -> the `ModelFacet` members they allow. */
const FACET_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  get: ["get"],
  query: ["query"],
  create: ["create"],
  add: ["create"],
  put: ["put"],
  save: ["put"],
  patch: ["patch"],
  delete: ["delete"],
};

/**
 * `<model>.ts` for every model (or those `context.models` names).
 * `context.outDir` is the output folder relative to the project root (for mixin imports).
 */
export function emitModelClasses(
  ir: ProjectIR,
  context: Pick<EmitContext, "outDir" | "models">,
): EmittedFile[] {
  const models = selectedModels(ir, context);
  if (models.length === 0) return [];
  const { specOf, byName } = lookupsFor(ir);
  return models.map((model) => {
    const path = `${kebabCase(model.name)}.ts`;
    const { text, preformattedLines } = printDeclarations(
      modelStatements(byName, model, context.outDir, specOf.get(model.name)),
    );
    return {
      path,
      source: model.file,
      contents: text,
      ...(preformattedLines === undefined ? {} : { preformattedLines }),
      model: model.name,
    };
  });
}

/** Table specs and models by name, once per IR (a build emits its models in batches). */
const lookups = new WeakMap<
  ProjectIR,
  { specOf: ReadonlyMap<string, unknown>; byName: ReadonlyMap<string, ModelIR> }
>();

function lookupsFor(ir: ProjectIR): {
  specOf: ReadonlyMap<string, unknown>;
  byName: ReadonlyMap<string, ModelIR>;
} {
  let found = lookups.get(ir);
  if (found === undefined) {
    const specs = tableSpecsFromIR(ir);
    found = {
      specOf: new Map(ir.models.map((m, i) => [m.name, specs[i]])),
      byName: new Map(ir.models.map((m) => [m.name, m])),
    };
    lookups.set(ir, found);
  }
  return found;
}

function modelStatements(
  byName: ReadonlyMap<string, ModelIR>,
  model: ModelIR,
  outDir: string,
  sql: unknown,
): Declaration[] {
  const name = model.name;
  const data = `${name}Data`;
  const queriesType = `${name}Queries`;
  const base = model.base;
  const helpers = new Set<string>();
  const compiled = model.queries.map((q) => {
    const c = compileQuery(q.query);
    c.helpers.forEach((h) => helpers.add(h));
    return { q, source: c.source };
  });

  const runtimeImports = [...(base ? [] : ["ModelInstance"]), ...helpers].sort();
  const imports: Omit<ImportDeclaration, "kind">[] = [];
  if (runtimeImports.length > 0)
    imports.push({ moduleSpecifier: RUNTIME_PACKAGE, namedImports: runtimeImports });
  imports.push({
    moduleSpecifier: RUNTIME_PACKAGE,
    isTypeOnly: true,
    // ModelFacet only where a facet type uses it: a project may compile with noUnusedLocals.
    namedImports: [
      "ModelDefinition",
      "Model",
      ...(model.facets.length > 0 ? ["ModelFacet"] : []),
      "Results",
    ].sort(),
  });
  imports.push({
    moduleSpecifier: `./${kebabCase(name)}.types.js`,
    isTypeOnly: true,
    namedImports: [data],
  });
  const targets = [...new Set(model.links.map((l) => l.target))]
    .filter((t) => t !== name && t !== base)
    .sort();
  for (const target of targets)
    imports.push({
      moduleSpecifier: `./${kebabCase(target)}.js`,
      isTypeOnly: true,
      namedImports: [target],
    });
  if (base) imports.push({ moduleSpecifier: `./${kebabCase(base)}.js`, namedImports: [base] });
  imports.push({
    moduleSpecifier: `./${kebabCase(name)}.validator.js`,
    namedImports: [`validate${name}`],
  });
  if (model.prototype) {
    let rel = posix.relative(outDir, model.prototype.module).replace(/\.ts$/, ".js");
    if (!rel.startsWith(".")) rel = `./${rel}`;
    imports.push({ moduleSpecifier: rel, namespaceImport: "mixin" });
  }

  const methods: MethodDeclaration[] = [];
  for (const fn of model.prototype?.exports ?? []) {
    methods.push({
      name: fn,
      docs: [`From the prototype module ${model.prototype!.module}.`],
      parameters: [
        { name: "this", type: name },
        { name: "args", isRestParameter: true, type: `Parameters<typeof mixin.${fn}>` },
      ],
      returnType: `ReturnType<typeof mixin.${fn}>`,
      statements: [`return mixin.${fn}.apply(this, args);`],
    });
  }
  const inheritedRels = new Set(base ? (byName.get(base)?.links ?? []).map((l) => l.rel) : []);
  for (const link of model.links) {
    if (inheritedRels.has(link.rel)) continue;
    const type = link.many ? `Promise<${link.target}[]>` : `Promise<${link.target} | undefined>`;
    methods.push({
      name: link.rel,
      docs: [`Follow the link \`${link.href}\`.`],
      returnType: type,
      statements: [`return this.$link(${JSON.stringify(link.rel)}) as ${type};`],
    });
  }
  if (base) {
    methods.push({
      name: "toJSON",
      hasOverrideKeyword: true,
      docs: ["The instance's data as a plain copy."],
      returnType: data,
      statements: [`return super.toJSON() as ${data};`],
    });
  }

  const queryMembers = compiled.map(({ q }) => {
    const names = parameterNames(q.query, q.parameters.length);
    return {
      name: q.name,
      docs: [
        `Named query \`${typeof q.source === "string" ? q.source : JSON.stringify(q.source)}\`${q.inheritedFrom ? ` (from ${q.inheritedFrom})` : ""}.`.replace(
          /\*\//g,
          "*\\/",
        ),
      ],
      parameters: q.parameters.map((p, i) => ({ name: names[i]!, type: tsTypeOfParameter(p) })),
      returnType: `Promise<Results<${name}>>`,
    };
  });

  const statements: Declaration[] = [
    ...imports.map((s) => ({ kind: "import" as const, ...s })),
    { kind: "interface", name, isExported: true, extends: [data] },
    {
      kind: "class",
      name,
      isExported: true,
      docs: [`${withArticle(name)} record (${model.file}).`],
      extends: base ?? `ModelInstance<${data}>`,
      methods,
    },
    {
      kind: "interface",
      name: queriesType,
      isExported: true,
      docs: [`Typed wrappers for ${name}'s named queries.`],
      methods: queryMembers,
    },
    {
      kind: "interface",
      name: `${name}Facets`,
      isExported: true,
      docs: [
        `${name}'s facets by name, each typed as it restricts the model: \`${name}Model.facet(name)\` takes only these names.`,
      ],
      properties: model.facets.map((facet) => ({
        name: JSON.stringify(facet.name),
        isReadonly: true,
        type: `${name}${pascalCase(facet.name)}Facet`,
      })),
    },
    {
      kind: "type",
      name: `${name}Model`,
      isExported: true,
      type: `Model<${name}, ${data}, ${queriesType}, ${name}Facets>`,
    },
  ];
  for (const facet of model.facets) statements.push(...facetStatements(model, facet));
  statements.push({
    kind: "const",
    isExported: true,
    docs: [`Everything the runtime needs to bind ${name} to a store.`],
    name: `${name}Definition`,
    type: `ModelDefinition<${data}, ${name}, ${queriesType}>`,
    initializer: definitionLiteral(model, compiled, sql),
  });
  return statements;
}

function facetStatements(model: ModelIR, facet: FacetIR): Declaration[] {
  const name = model.name;
  const type = `${name}${pascalCase(facet.name)}`;
  const union = (names: readonly string[]): string =>
    names.length === 0 ? "never" : names.map((n) => JSON.stringify(n)).join(" | ");
  const hidden = union(facet.hidden);
  const readonly = union(facet.readonly.filter((p) => !facet.hidden.includes(p)));
  const members = [
    "name",
    "model",
    ...new Set(facet.methods.flatMap((m) => FACET_MEMBERS[m] ?? [])),
    // Named queries are deny by default: the facet's `queries` list is the grant.
    ...(facet.queries.length > 0 ? ["queries"] : []),
  ];
  const queries = `Pick<${name}Queries, ${union(facet.queries.map((q) => q.name))}>`;
  return [
    {
      kind: "type",
      name: `${type}Record`,
      isExported: true,
      docs: [
        `${withArticle(name)} as the ${facet.name} facet shows it: hidden properties removed, read-only ones readonly.`,
      ],
      // An open schema's index signature would still type a hidden property as `unknown`; pin it to
      // `undefined`, as the facet returns it (a closed schema's hidden property is simply absent).
      type: `{ readonly [K in keyof ${name} as K extends ${readonly} ? K : never]: ${name}[K] } & { [K in keyof ${name} as K extends ${hidden} | ${readonly} ? never : K]: ${name}[K] }${model.additionalProperties && facet.hidden.length > 0 ? ` & { readonly [K in ${hidden}]?: never }` : ""}`,
    },
    {
      kind: "type",
      name: `${type}Facet`,
      isExported: true,
      docs: [
        `The ${facet.name} facet of ${name}: only ${[...facet.methods, ...facet.queries.map((q) => `queries.${q.name}`)].join(", ") || "nothing"}.`,
      ],
      type: `Pick<ModelFacet<${type}Record, ${name}Data, ${queries}>, ${union(members)}>`,
    },
    {
      kind: "function",
      name: `${type.charAt(0).toLowerCase()}${type.slice(1)}Facet`,
      isExported: true,
      docs: [`The ${facet.name} facet of ${withArticle(name, false)} model, typed.`],
      parameters: [{ name: "model", type: `${name}Model` }],
      returnType: `${type}Facet`,
      statements: [`return model.facet(${JSON.stringify(facet.name)}) as unknown as ${type}Facet;`],
    },
  ];
}

/**
 * A predicate that never reads its `parameters` names it `_parameters`, so a
 * project compiled with noUnusedParameters accepts it.
 */
function withUnusedParameters(source: string): string {
  const signature = /^function \(record, parameters\)/;
  if (!signature.test(source)) return source;
  const body = source.replace(signature, "");
  return /\bparameters\b/.test(body) ? source : `function (record, _parameters)${body}`;
}

function definitionLiteral(
  model: ModelIR,
  compiled: { q: ModelIR["queries"][number]; source: string }[],
  sql: unknown,
): string {
  const data = definitionData(model);
  const queries = compiled
    .map(
      ({ q, source }) =>
        `${JSON.stringify(q.name)}: { query: ${toCode(q.query)}, parameters: ${toCode(q.parameters)}, predicate: ${withUnusedParameters(source)}, source: ${toCode(q.source)} }`,
    )
    .join(",\n");
  const facets = Object.entries(data.facets)
    .map(([name, rest]) => `${JSON.stringify(name)}: ${toCode(rest)}`)
    .join(",\n");
  const fields: [string, string][] = [
    ["name", JSON.stringify(data.name)],
    ["table", JSON.stringify(data.table)],
    ["primaryKey", JSON.stringify(data.primaryKey)],
    ["instanceClass", model.name],
    ["validate", `validate${model.name}`],
    ["defaults", toCode(data.defaults)],
    ["nullableProperties", toCode(data.nullableProperties)],
    ["readonlyProperties", toCode(data.readonlyProperties)],
    ["additionalProperties", String(data.additionalProperties)],
    ["indexes", toCode(data.indexes)],
    ["links", toCode(data.links)],
    ["querySchema", toCode(data.querySchema)],
    ["queries", `{\n${queries}\n}`],
    ["facets", `{\n${facets}\n}`],
  ];
  if (data.base !== undefined) fields.push(["base", JSON.stringify(data.base)]);
  fields.push(["subModels", toCode(data.subModels)]);
  fields.push(["sql", toCode(sql)]);
  return `{\n${fields.map(([k, v]) => `${k}: ${v}`).join(",\n")}\n}`;
}
