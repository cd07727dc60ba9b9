/**
 * ajv standalone validators, one TypeScript module per model.
 * ajv's output still `require`s its runtime and ajv-formats; those are
 * rewritten to imports from `perstore`, so no generated code compiles a
 * schema at run time or uses eval/new Function. One ajv instance per IR
 * (every schema added, each compiled once, when first needed); ajv's
 * instance-wide name counters are renumbered per file so a file does not
 * depend on what else was compiled.
 */
import standaloneModule from "ajv/dist/standalone/index.js";
import { _ } from "ajv";
import { AJV_RUNTIME_EXPORTS } from "../../runtime/ajv.js";
import { createValidatorAjv } from "../load/create-ajv.js";
import { kebabCase, withArticle } from "../ir/names.js";
import type { ModelIR, ProjectIR } from "../ir/types.js";
import { SchemaError, SchemaErrors } from "../../errors/index.js";
import type { EmittedFile } from "./emitted-file.js";
import type { EmitContext } from "./emitters.js";
import { selectedModels } from "./selected-models.js";
import { renumberAjvNames } from "./renumber-ajv-names.js";
import { RUNTIME_PACKAGE } from "../package-names.js";

const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
  standaloneModule) as typeof standaloneModule.default;

/**
 * One ajv instance per IR (~50 ms to create), shared by every emit of the
 * same IR: a build emits its models in batches, and each schema then
 * compiles once however many validators reference it.
 */
const ajvOf = new WeakMap<ProjectIR, ReturnType<typeof createValidatorAjv>>();

function ajvFor(ir: ProjectIR): ReturnType<typeof createValidatorAjv> {
  let ajv = ajvOf.get(ir);
  if (ajv !== undefined) return ajv;
  ajv = createValidatorAjv({
    code: { source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  // Adding is cheap (nothing compiles until a validator needs it), and any model may be $ref'd.
  for (const model of ir.models) ajv.addSchema(structuredClone(model.schema) as object, model.name);
  ajvOf.set(ir, ajv);
  return ajv;
}

/** `validate<Model>` validators for every model (or those `context.models` names). */
export function emitValidators(
  ir: ProjectIR,
  context: Pick<EmitContext, "models"> = {},
): EmittedFile[] {
  const models = selectedModels(ir, context);
  if (models.length === 0) return [];
  const ajv = ajvFor(ir);
  return models.flatMap((model) => {
    const fn = `validate${model.name}`;
    const code = renumberAjvNames(toEsm(standalone(ajv, fn, model), model.name), { prune: true });
    const path = `${kebabCase(model.name)}.validator.ts`;
    return [{ path, source: model.file, ...typed(code, fn, model) }];
  });
}

/**
 * ajv's JavaScript as a TypeScript module, so `tsc` compiles it into `outDir`
 * beside the rest (a `.js` with a `.d.ts` beside it is never copied) and a
 * bundler reads it like any other source. The code is ajv's, unchecked
 * (`@ts-nocheck`, whatever the project's compiler options); its export is
 * typed. The lines before ajv's code are written as prettier prints them
 * (`preformattedLines`), so only ajv's plain JavaScript needs formatting.
 */
function typed(code: string, fn: string, model: ModelIR): Omit<EmittedFile, "path" | "source"> {
  const exported = new RegExp(`export const ${fn} = (\\w+);`);
  const found = exported.exec(code);
  if (found === null)
    throw new Error(`validator of ${model.name}: no "export const ${fn}" in ajv's output`);
  const imports = /^import \{[^}]*\} from "[^"]*";\n/.exec(code)?.[0] ?? "";
  const body = code.slice(imports.length, found.index) + code.slice(found.index + found[0].length);
  const head = [
    `// @ts-nocheck -- ajv's standalone code; the export below is typed.`,
    `import type { ModelValidateFunction } from "${RUNTIME_PACKAGE}";`,
    ...(imports === "" ? [] : [imports.slice(0, -1)]),
    `/** Validates ${withArticle(model.name, false)} record against ${model.file}. */`,
    ...exportLines(fn, found[1]!),
  ];
  // Prettier would break a line over 100 columns (a long model name): then it formats the whole file.
  const fits = head.every((l) => l.length <= 100) && !body.startsWith("\n");
  return {
    contents: `${head.join("\n")}\n${body}`,
    ...(fits ? { preformattedLines: head.length } : {}),
    model: model.name,
  };
}

/** The typed export as prettier prints it: broken after `=` when the line is too long. */
function exportLines(fn: string, name: string): string[] {
  const left = `export const ${fn}: ModelValidateFunction =`;
  const right = `${name} as unknown as ModelValidateFunction;`;
  return `${left} ${right}`.length <= 100 ? [`${left} ${right}`] : [left, `  ${right}`];
}

/**
 * ajv's standalone code for one model. The load step reports what ajv would
 * refuse, each at its place; should ajv still refuse a schema, the error
 * names the model's file rather than escaping as a bare Error.
 */
function standalone(
  ajv: ReturnType<typeof createValidatorAjv>,
  fn: string,
  model: ModelIR,
): string {
  try {
    return standaloneCode(ajv, { [fn]: model.name });
  } catch (error) {
    throw new SchemaErrors([
      new SchemaError(
        "SCHEMA_UNSUPPORTED",
        `ajv cannot compile a validator for ${model.name}: ${(error as Error).message}`,
        { file: model.file, pointer: "" },
        { cause: error },
      ),
    ]);
  }
}

/** Replace ajv's `require(...)`s by imports from `perstore`; fail on anything unknown. */
export function toEsm(code: string, model: string): string {
  const used = new Set<string>();
  let out = code
    .replace(/^"use strict";/, "")
    .replace(/require\("ajv-formats\/dist\/formats"\)\.fullFormats/g, () => {
      used.add("ajvFormats");
      return "ajvFormats";
    });
  out = out.replace(/require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g, (_match, name: string) => {
    const replacement = AJV_RUNTIME_EXPORTS[name];
    if (replacement === undefined)
      throw new Error(`validator of ${model}: no perstore export for ajv runtime module ${name}`);
    used.add(replacement);
    return replacement;
  });
  if (/\brequire\(/.test(out))
    throw new Error(`validator of ${model}: unexpected require() in ajv standalone output`);
  const imports =
    used.size === 0 ? "" : `import { ${[...used].sort().join(", ")} } from "${RUNTIME_PACKAGE}";\n`;
  return `${imports}${out}\n`;
}
