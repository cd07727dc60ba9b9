/** `index.ts`: every model class and `createModels`, the registry wired for links. */
import { kebabCase } from "../ir/names.js";
import type { ProjectIR } from "../ir/types.js";
import type { EmittedFile } from "./emitted-file.js";
import { RUNTIME_PACKAGE } from "../package-names.js";

export function emitIndex(ir: ProjectIR): EmittedFile[] {
  const lines: string[] = [
    `import { createModelRegistry, type ModelRegistryOptions, type Store } from "${RUNTIME_PACKAGE}";`,
  ];
  for (const m of ir.models) {
    lines.push(
      `import { ${m.name}Definition, type ${m.name}Model } from "./${kebabCase(m.name)}.js";`,
    );
  }
  lines.push("");
  for (const m of ir.models) lines.push(`export * from "./${kebabCase(m.name)}.js";`);
  lines.push(`export type * from "./db.js";`);
  lines.push(`export { openapi } from "./openapi.js";`);
  for (const m of ir.models) lines.push(`export type * from "./${kebabCase(m.name)}.types.js";`);
  lines.push(
    "",
    `/** Every model's definition, by name. */`,
    `export const definitions = {\n${ir.models.map((m) => `  ${m.name}: ${m.name}Definition,`).join("\n")}\n} as const;`,
    "",
    `/** Where models keep their records: \`stores[Name]\`, else a SqlStore over \`db\`, else a RemoteStore on the server at \`remote\`, else a MemoryStore (one per inheritance hierarchy, shared by its sub-models). */`,
    `export interface CreateModelsOptions {`,
    `  readonly db?: ModelRegistryOptions["db"];`,
    `  readonly stores?: {\n${ir.models.map((m) => `    readonly ${m.name}?: Store<any>;`).join("\n")}\n  };`,
    `  /** A perstore server that keeps the records (each model a RemoteStore on \`<url>/<Model>/\`). */`,
    `  readonly remote?: ModelRegistryOptions["remote"];`,
    `  /** The bearer token sent to \`remote\`. */`,
    `  readonly token?: ModelRegistryOptions["token"];`,
    `}`,
    "",
    `/** The models \`createModels\` returns, each typed with its facets (\`Book.facet("catalog")\`). */`,
    // A type literal, not an interface, so it fits \`Record<string, Model<any, any, any>>\` (createHandler's models).
    `export type Models = {\n${ir.models.map((m) => `  readonly ${m.name}: ${m.name}Model;`).join("\n")}\n};`,
    "",
    `/** Bind every model to its store, wired together for links. */`,
    `export function createModels(options: CreateModelsOptions = {}): Models {`,
    `  return createModelRegistry(definitions, options) as unknown as Models;`,
    `}`,
  );
  return [{ path: "index.ts", source: "schemas/", contents: `${lines.join("\n")}\n` }];
}
