import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { PerstoreConfig } from "./config.js";
import type { SchemaSource } from "./ir/model-sources.js";

/** Every `*.schema.json` under the schemas folder, sorted by path. */
export async function readSchemaSources(config: PerstoreConfig): Promise<SchemaSource[]> {
  const dir = resolve(config.root, config.schemas);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(".schema.json"))
    .map((e) => relative(config.root, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(config.root, file), "utf8") })));
}
