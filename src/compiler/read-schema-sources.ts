import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { SchemaError } from "../errors/index.js";
import { CONFIG_FILE, type PerstoreConfig } from "./config.js";
import type { SchemaSource } from "./ir/model-sources.js";

/** Something a build should tell the user about that does not stop it. */
export interface BuildWarning {
  /** `SCHEMAS_EMPTY` or `SCHEMAS_STRAY_FILE`. */
  readonly code: string;
  readonly message: string;
  /** The file concerned, relative to the project root (posix). */
  readonly file?: string;
}

/** Modules beside the schemas (mixins) and hidden files (.gitkeep) are expected; anything else is probably a misnamed schema. */
const EXPECTED = /(\.schema\.json|\.[cm]?[jt]s)$|^\./;

/**
 * Every `*.schema.json` under the schemas folder, sorted by path, and
 * warnings: the folder holds no schema, or holds files that are neither a
 * schema nor a module (`book.json`, `book.schema.jsonc`), which the build
 * ignores. SchemaError CONFIG_NO_SCHEMAS when the folder is missing.
 */
export async function readSchemaFolder(
  config: PerstoreConfig,
): Promise<{ sources: SchemaSource[]; warnings: BuildWarning[] }> {
  const dir = resolve(config.root, config.schemas);
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    throw new SchemaError(
      "CONFIG_NO_SCHEMAS",
      `the schemas folder ${config.schemas}/ does not exist; run \`perstore init\`, or set "schemas" in ${CONFIG_FILE}`,
      { file: CONFIG_FILE, pointer: "/schemas" },
    );
  }
  const path = (e: { name: string; parentPath: string }) =>
    relative(config.root, join(e.parentPath, e.name)).split(sep).join("/");
  const files = entries.filter((e) => e.isFile());
  const schemas = files
    .filter((e) => e.name.endsWith(".schema.json"))
    .map(path)
    .sort();
  const warnings: BuildWarning[] = files
    .filter((e) => !EXPECTED.test(e.name))
    .map(path)
    .sort()
    .map((file) => ({
      code: "SCHEMAS_STRAY_FILE",
      message: `${file} is not a *.schema.json file, so the build ignores it${file.endsWith(".json") ? ` (rename it to ${file.replace(/\.json$/, ".schema.json")} to make it a model)` : ""}`,
      file,
    }));
  if (schemas.length === 0)
    warnings.unshift({
      code: "SCHEMAS_EMPTY",
      message: `the schemas folder ${config.schemas}/ holds no *.schema.json file: nothing was compiled, and ${config.out}/ was left as it is`,
    });
  const sources = await Promise.all(
    schemas.map(async (file) => ({ file, text: await readFile(join(config.root, file), "utf8") })),
  );
  return { sources, warnings };
}

/** Every `*.schema.json` under the schemas folder, sorted by path. SchemaError CONFIG_NO_SCHEMAS when the folder is missing. */
export async function readSchemaSources(config: PerstoreConfig): Promise<SchemaSource[]> {
  return (await readSchemaFolder(config)).sources;
}
