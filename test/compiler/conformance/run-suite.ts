/**
 * Runs the suite's cases through `compile()`, many models per compile: a
 * compile that fails with located diagnostics refuses exactly the cases whose
 * files they name, and the rest are compiled again; any other failure is
 * narrowed down by halving the batch. Each compiled case's generated
 * validator is then run on its tests' records.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { compile, type CompileResult } from "perstore/compiler";
import { SchemaErrors } from "perstore";
import type { SuiteCase } from "./suite-cases.js";

export type CaseOutcome =
  | { readonly kind: "refused"; readonly reason: string }
  | {
      readonly kind: "compiled";
      /** Indexes of the tests whose verdict differs from the suite's. */
      readonly disagreements: readonly number[];
    };

type Validate = (data: unknown) => boolean;

/** Compile every case (in batches) and run its validator; `dir` receives the generated validators. */
export async function runSuite(
  cases: readonly SuiteCase[],
  root: string,
  dir: string,
  batchSize = 100,
): Promise<Map<string, CaseOutcome>> {
  const outcomes = new Map<string, CaseOutcome>();
  const compiled: { case: SuiteCase; file: string }[] = [];
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < cases.length; i += batchSize) {
    for (const [c, file] of await compileBatch(cases.slice(i, i + batchSize), root, outcomes, dir))
      compiled.push({ case: c, file });
  }
  for (const { case: c, file } of compiled) {
    const module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<
      string,
      Validate
    >;
    const validate = module[`validate${c.model}`]!;
    const disagreements: number[] = [];
    c.tests.forEach((t, index) => {
      let verdict: boolean;
      try {
        verdict = validate({ id: "x", value: t.data });
      } catch {
        verdict = !t.valid; // a validator that throws disagrees whatever the suite says
      }
      if (verdict !== t.valid) disagreements.push(index);
    });
    outcomes.set(c.key, { kind: "compiled", disagreements });
  }
  return outcomes;
}

/** Compile `batch`, recording refusals; returns the validator file of every case that compiled. */
async function compileBatch(
  batch: readonly SuiteCase[],
  root: string,
  outcomes: Map<string, CaseOutcome>,
  dir: string,
): Promise<Map<SuiteCase, string>> {
  let rest = [...batch];
  while (rest.length > 0) {
    let result: CompileResult;
    try {
      result = await compile({
        root,
        config: { prettier: false },
        sources: rest.map((c) => c.source),
      });
    } catch (error) {
      if (error instanceof SchemaErrors) {
        const byFile = new Map<string, string[]>();
        for (const e of error.errors)
          byFile.set(e.file, [...(byFile.get(e.file) ?? []), `${e.code} ${e.pointer}`]);
        const refused = rest.filter((c) => byFile.has(c.source.file));
        if (refused.length === 0) throw error;
        for (const c of refused)
          outcomes.set(c.key, { kind: "refused", reason: byFile.get(c.source.file)!.join("; ") });
        rest = rest.filter((c) => !byFile.has(c.source.file));
        continue;
      }
      if (rest.length === 1) {
        outcomes.set(rest[0]!.key, { kind: "refused", reason: `crash: ${String(error)}` });
        return new Map();
      }
      const half = Math.ceil(rest.length / 2);
      const first = await compileBatch(rest.slice(0, half), root, outcomes, dir);
      const second = await compileBatch(rest.slice(half), root, outcomes, dir);
      return new Map([...first, ...second]);
    }
    const files = new Map<SuiteCase, string>();
    for (const c of rest) {
      const base = c.source.file.slice(0, -".schema.json".length);
      const validator = result.files.find((f) => f.path === `${base}.validator.ts`)!;
      const file = join(dir, `${base}.validator.mts`);
      await writeFile(file, validator.contents);
      files.set(c, file);
    }
    return files;
  }
  return new Map();
}
