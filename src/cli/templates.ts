/**
 * The top-level templates/ folder: the starter project `perstore init`
 * writes and the published JSON Schemas. Found by walking up from this
 * module, so it works from src/ (tsx), dist/ and an installed package alike.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PerstoreError } from "../errors/index.js";
import { COMPILER_PACKAGE, RUNTIME_PACKAGE } from "../compiler/package-names.js";
import { perstoreVersion } from "./version.js";

/** The templates folder (absolute). */
export function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "templates");
    if (existsSync(join(candidate, "init"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new PerstoreError(
        "CLI_NO_TEMPLATES",
        "perstore's templates/ folder is missing from its installation; reinstall the package",
      );
    dir = parent;
  }
}

/** Placeholders in templates: the package names and perstore's version. */
export function templateValues(): Readonly<Record<string, string>> {
  return { runtime: RUNTIME_PACKAGE, kit: COMPILER_PACKAGE, version: perstoreVersion() };
}

/** A template's text (path relative to templates/), placeholders filled in. */
export async function readTemplate(path: string): Promise<string> {
  const text = await readFile(join(templatesDir(), path), "utf8");
  const values = templateValues();
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}
