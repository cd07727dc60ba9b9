/**
 * The top-level templates/ folder: the starter project `perstore init`
 * writes and the published JSON Schemas. The folder is found by the
 * compiler's `templatesDir` (its emitters read templates/emit too).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { COMPILER_PACKAGE, RUNTIME_PACKAGE } from "../compiler/package-names.js";
import { templatesDir } from "../compiler/templates.js";
import { perstoreVersion } from "./version.js";

export { templatesDir };

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
