/**
 * Reads which functions a `prototype` mixin module exports, without running
 * it and without a type checker: a parse of the module (TypeScript's parser)
 * and of the modules it re-exports from. Parses are cached by file text, so a
 * watch-mode rebuild costs a file read per mixin. TypeScript is loaded when
 * a project first has a mixin to read (~0.8 s of CPU; most builds have none).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ts as TypeScript } from "ts-morph";

let typescript: typeof TypeScript | undefined;

function loadTypeScript(): typeof TypeScript {
  return (typescript ??= (createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph"))
    .ts);
}

/** What one parse of a module yields, before re-exports are followed. */
interface ModuleExports {
  /** Exported names bound to a local function. */
  readonly functions: readonly string[];
  /** `export { local as name }` of an imported binding, or `export { name } from "m"`. */
  readonly forwarded: readonly {
    readonly name: string;
    readonly module: string;
    readonly imported: string;
  }[];
  /** `export * from "m"`. */
  readonly star: readonly string[];
}

/** Parsed modules by path; an entry is reused while the file's text is unchanged. */
export type MixinCache = Map<string, { readonly text: string; readonly exports: ModuleExports }>;

/** Exported function names of each module (sorted), or `undefined` for modules that do not exist. */
export function readMixinExports(
  files: readonly string[],
  cache: MixinCache = new Map(),
): Map<string, readonly string[] | undefined> {
  const result = new Map<string, readonly string[] | undefined>();
  for (const file of files) {
    const names = exportedFunctions(file, cache, new Set());
    result.set(file, names === undefined ? undefined : [...names].sort());
  }
  return result;
}

function exportedFunctions(
  file: string,
  cache: MixinCache,
  visiting: Set<string>,
): Set<string> | undefined {
  if (visiting.has(file)) return new Set(); // an export cycle adds nothing new
  const parsed = parseModule(file, cache);
  if (parsed === undefined) return undefined;
  visiting.add(file);
  const names = new Set(parsed.functions);
  for (const { name, module, imported } of parsed.forwarded) {
    const target = resolveModule(file, module);
    if (target !== undefined && exportedFunctions(target, cache, visiting)?.has(imported))
      names.add(name);
  }
  for (const module of parsed.star) {
    const target = resolveModule(file, module);
    for (const name of (target === undefined
      ? undefined
      : exportedFunctions(target, cache, visiting)) ?? [])
      names.add(name);
  }
  visiting.delete(file);
  names.delete("default");
  return names;
}

function parseModule(file: string, cache: MixinCache): ModuleExports | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "ENOENT" ||
      (error as NodeJS.ErrnoException).code === "EISDIR"
    )
      return undefined;
    throw error;
  }
  const hit = cache.get(file);
  if (hit?.text === text) return hit.exports;
  const ts = loadTypeScript();
  const kind = /\.[cm]?jsx?$/.test(file)
    ? ts.ScriptKind.JS
    : /\.tsx$/.test(file)
      ? ts.ScriptKind.TSX
      : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const exported = (node: TypeScript.Node): boolean =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: TypeScript.Node): boolean =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  const localFunctions = new Set<string>();
  const imports = new Map<string, { module: string; imported: string }>();
  const functions: string[] = [];
  const forwarded: { name: string; module: string; imported: string }[] = [];
  const star: string[] = [];
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      localFunctions.add(statement.name.text);
      if (exported(statement) && !isDefault(statement)) functions.push(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (
          !ts.isIdentifier(d.name) ||
          init === undefined ||
          !(ts.isArrowFunction(init) || ts.isFunctionExpression(init))
        )
          continue;
        localFunctions.add(d.name.text);
        if (exported(statement)) functions.push(d.name.text);
      }
    } else if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      !statement.importClause?.isTypeOnly
    ) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          if (!element.isTypeOnly)
            imports.set(element.name.text, {
              module: statement.moduleSpecifier.text,
              imported: (element.propertyName ?? element.name).text,
            });
        }
      }
    }
  }
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly) continue;
    const module =
      statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    const clause = statement.exportClause;
    if (clause === undefined) {
      if (module !== undefined) star.push(module);
      continue;
    }
    if (!ts.isNamedExports(clause)) continue; // `export * as ns`: a namespace, not a function
    for (const element of clause.elements) {
      if (element.isTypeOnly) continue;
      const name = element.name.text;
      const local = (element.propertyName ?? element.name).text;
      if (module !== undefined) forwarded.push({ name, module, imported: local });
      else if (localFunctions.has(local)) functions.push(name);
      else if (imports.has(local)) forwarded.push({ name, ...imports.get(local)! });
    }
  }
  const exports: ModuleExports = { functions, forwarded, star };
  cache.set(file, { text, exports });
  return exports;
}

/** A relative import's file: `./x.js` names `./x.ts` (NodeNext style), `./x` tries the usual extensions. */
function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = join(dirname(from), specifier);
  const stem = base.replace(/\.[cm]?jsx?$/, "");
  const candidates =
    stem === base
      ? [`${base}.ts`, `${base}.tsx`, `${base}.js`, join(base, "index.ts"), join(base, "index.js")]
      : [`${stem}.ts`, `${stem}.tsx`, base];
  return candidates.find((c) => existsSync(c));
}
