import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { SchemaError } from "../errors/index.js";
import { CONFIG_FILE, type PerstoreConfig } from "./config.js";
import type { SchemaSource } from "./ir/model-sources.js";

/** Every `*.schema.json` under the schemas folder, sorted by path. SchemaError CONFIG_NO_SCHEMAS when the folder is missing. */
export async function readSchemaSources(config: PerstoreConfig): Promise<SchemaSource[]> {
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
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(".schema.json"))
    .map((e) => relative(config.root, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
  return Promise.all(
    files.map(async (file) => ({ file, text: await readFile(join(config.root, file), "utf8") })),
  );
}
