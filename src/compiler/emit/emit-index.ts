/**
 * `index.ts`: every model class and `createModels`, the registry wired for
 * links. The fixed text is templates/emit/index.ts; this fills in the models.
 */
import { kebabCase } from "../ir/names.js";
import type { ProjectIR } from "../ir/types.js";
import type { EmittedFile } from "./emitted-file.js";
import { RUNTIME_PACKAGE } from "../package-names.js";
import { emitTemplate } from "../templates.js";

export function emitIndex(ir: ProjectIR): EmittedFile[] {
  const module = (name: string) => `./${kebabCase(name)}`;
  const contents = emitTemplate("index.ts", {
    runtime: RUNTIME_PACKAGE,
    modelImports: ir.models.map(
      (m) => `import { ${m.name}Definition, type ${m.name}Model } from "${module(m.name)}.js";`,
    ),
    modelExports: ir.models.map((m) => `export * from "${module(m.name)}.js";`),
    typeExports: ir.models.map((m) => `export type * from "${module(m.name)}.types.js";`),
    definitions: ir.models.map((m) => `  ${m.name}: ${m.name}Definition,`).join("\n"),
    stores: ir.models.map((m) => `    readonly ${m.name}?: Store<any>;`).join("\n"),
    // `Models` is a type literal, not an interface, so it fits `Record<string, Model<any, any, any>>` (createHandler's models).
    models: ir.models.map((m) => `  readonly ${m.name}: ${m.name}Model;`).join("\n"),
  });
  return [{ path: "index.ts", source: "schemas/", contents }];
}
