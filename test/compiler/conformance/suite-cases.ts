/**
 * The JSON Schema Test Suite (draft 2020-12) as perstore model files: each
 * test group's schema becomes the `value` property of its own model, so its
 * tests are records `{ id, value: <test data> }`. An object schema sits in
 * the model's `$defs` as an embedded resource (its own `$id`, or one made up
 * here), so `#` inside it still means the suite schema's root, as the suite
 * expects; a boolean schema is the property itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SchemaSource } from "perstore/compiler";

export const SUITE_DIR = fileURLToPath(
  new URL("../../fixtures/json-schema-test-suite/tests/draft2020-12/", import.meta.url),
);

export interface SuiteTest {
  readonly description: string;
  readonly data: unknown;
  readonly valid: boolean;
}

export interface SuiteCase {
  /** `<file>/<group index>`, stable across runs: the key of the expectation list. */
  readonly key: string;
  readonly description: string;
  /** The group's schema as the suite gives it. */
  readonly schema: unknown;
  /** The model name (and file `case<n>.schema.json`). */
  readonly model: string;
  readonly source: SchemaSource;
  readonly tests: readonly SuiteTest[];
}

interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: SuiteTest[];
}

/** Every group of the suite's top-level draft 2020-12 files (not `optional/`), in file order. */
export function suiteCases(): SuiteCase[] {
  const cases: SuiteCase[] = [];
  const files = readdirSync(SUITE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();
  for (const file of files) {
    const groups = JSON.parse(readFileSync(`${SUITE_DIR}${file}`, "utf8")) as SuiteGroup[];
    groups.forEach((group, index) => {
      const n = cases.length;
      const model = `Case${n}`;
      cases.push({
        key: `${file.slice(0, -".json".length)}/${index}`,
        description: group.description,
        schema: group.schema,
        model,
        source: {
          file: `case${n}.schema.json`,
          text: JSON.stringify(modelFor(model, group.schema, n), null, 2),
        },
        tests: group.tests,
      });
    });
  }
  return cases;
}

function modelFor(model: string, schema: unknown, n: number): Record<string, unknown> {
  const base = { title: model, type: "object", required: ["id"] };
  if (typeof schema === "boolean")
    return { ...base, properties: { id: { type: "string" }, value: schema } };
  const embedded = { ...(schema as Record<string, unknown>) };
  embedded["$id"] ??= `https://perstore.test/suite/case-${n}.json`;
  return {
    ...base,
    properties: { id: { type: "string" }, value: { $ref: "#/$defs/case" } },
    $defs: { case: embedded },
  };
}
