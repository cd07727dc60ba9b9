/**
 * The baseline perstore is held to: plain ajv (draft 2020-12, strict mode
 * off, no ajv-formats) with the suite's remotes added, run on each case's
 * schema as the suite gives it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020Module from "ajv/dist/2020.js";
import type { SuiteCase } from "./suite-cases.js";

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as typeof Ajv2020Module.default;

const REMOTES = fileURLToPath(
  new URL("../../fixtures/json-schema-test-suite/remotes/", import.meta.url),
);

/** Each remote schema by the URL the suite serves it at (http://localhost:1234/<path>). */
function remotes(): { url: string; schema: object }[] {
  const out: { url: string; schema: object }[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = `${dir}${name}`;
      if (statSync(path).isDirectory()) walk(`${path}/`, `${prefix}${name}/`);
      else if (name.endsWith(".json"))
        out.push({
          url: `http://localhost:1234/${prefix}${name}`,
          schema: JSON.parse(readFileSync(path, "utf8")) as object,
        });
    }
  };
  walk(REMOTES, "");
  return out;
}

/** For each case: whether plain ajv compiles it and agrees with every one of its tests. */
export function plainAjvPasses(cases: readonly SuiteCase[]): Map<string, boolean> {
  const all = remotes();
  const result = new Map<string, boolean>();
  for (const c of cases) {
    const ajv = new Ajv2020({ strict: false, logger: false });
    for (const r of all) {
      try {
        ajv.addSchema(r.schema, r.url);
      } catch {
        // a remote of another draft ajv 2020 cannot read: only cases using it fail
      }
    }
    let passes: boolean;
    try {
      const validate = ajv.compile(c.schema as object);
      passes = c.tests.every((t) => validate(t.data) === t.valid);
    } catch {
      passes = false;
    }
    result.set(c.key, passes);
  }
  return result;
}
