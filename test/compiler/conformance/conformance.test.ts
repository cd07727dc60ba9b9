/**
 * The JSON Schema Test Suite (draft 2020-12) through perstore's whole
 * pipeline: every group compiled by `compile()` (many models per compile),
 * its generated standalone validator run on each test, the verdict compared
 * with the suite's. `expected.json` lists every refused group and every
 * disagreeing test with its reason, and whether plain ajv (strict off)
 * passes the group; any change in either direction fails, so progress shows
 * in review. The README's counts are checked against the run.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainAjvPasses } from "./plain-ajv.js";
import { runSuite, type CaseOutcome } from "./run-suite.js";
import { suiteCases, type SuiteCase } from "./suite-cases.js";

interface Expected {
  readonly refused: Record<string, { ajv: "passes" | "fails"; reason: string }>;
  readonly disagreements: Record<
    string,
    { tests: number[]; ajv: "passes" | "fails"; reason: string }
  >;
}

const expected = JSON.parse(
  readFileSync(new URL("./expected.json", import.meta.url), "utf8"),
) as Expected;

let root: string;
let cases: SuiteCase[];
let outcomes: Map<string, CaseOutcome>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-conformance-"));
  cases = suiteCases();
  outcomes = await runSuite(cases, root, join(root, "validators"));
}, 600_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("JSON Schema Test Suite, draft 2020-12", () => {
  it("refuses exactly the groups expected.json lists", () => {
    const refused = cases.filter((c) => outcomes.get(c.key)?.kind === "refused").map((c) => c.key);
    expect(refused).toEqual(Object.keys(expected.refused));
  });

  it("disagrees with the suite on exactly the tests expected.json lists", () => {
    const disagreements: Record<string, readonly number[]> = {};
    for (const c of cases) {
      const outcome = outcomes.get(c.key)!;
      if (outcome.kind === "compiled" && outcome.disagreements.length > 0)
        disagreements[c.key] = outcome.disagreements;
    }
    expect(disagreements).toEqual(
      Object.fromEntries(Object.entries(expected.disagreements).map(([k, v]) => [k, v.tests])),
    );
  });

  it("gives every listed group a reason, and says truly whether plain ajv passes it", () => {
    const listed = { ...expected.refused, ...expected.disagreements };
    for (const entry of Object.values(listed)) expect(entry.reason.length).toBeGreaterThan(20);
    const ajv = plainAjvPasses(cases.filter((c) => Object.hasOwn(listed, c.key)));
    expect(
      Object.fromEntries([...ajv].map(([key, passes]) => [key, passes ? "passes" : "fails"])),
    ).toEqual(Object.fromEntries(Object.entries(listed).map(([key, v]) => [key, v.ajv])));
  }, 120_000);

  it("has its counts in the README", () => {
    let compiled = 0;
    let passing = 0;
    let disagreeing = 0;
    for (const c of cases) {
      const outcome = outcomes.get(c.key)!;
      if (outcome.kind !== "compiled") continue;
      compiled++;
      passing += c.tests.length - outcome.disagreements.length;
      disagreeing += outcome.disagreements.length;
    }
    const refused = cases.length - compiled;
    const tests = cases.reduce((n, c) => n + c.tests.length, 0);
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(
      `${compiled} of its ${cases.length} groups compile (${refused} refused), ` +
        `and ${passing} of their tests agree with the suite (${disagreeing} disagree) ` +
        `out of ${tests} tests in all`,
    );
  });
});
