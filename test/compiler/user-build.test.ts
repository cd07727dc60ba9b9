/**
 * Generated code in a user's build: the example schemas compiled now (in
 * memory) into a temp project with a small program, then
 * - type-checked under the strictest common settings (strict,
 *   exactOptionalPropertyTypes, noUncheckedIndexedAccess, noImplicitReturns,
 *   noPropertyAccessFromIndexSignature, noUnused*), with this repository's
 *   TypeScript 5 and, when TYPESCRIPT_NEXT_TSC names its `tsc`, with the
 *   current major (7.x: see the report of issue 11 for why it is not a
 *   devDependency: its `tsc` bin takes TypeScript 5's place in node_modules/.bin);
 * - built by a plain `tsc` to an outDir, and run with node from there;
 * - bundled by esbuild, and run.
 * The program imports `perstore-runtime` as a user's would: the project's
 * node_modules links it to this repository, whose package resolves to
 * dist/ (CI builds dist/ before the tests; locally run `npm run build`).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build as esbuild } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "perstore/compiler";

const exec = promisify(execFile);
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(REPO, "node_modules/typescript/bin/tsc");

const STRICTEST = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  allowUnusedLabels: false,
  allowUnreachableCode: false,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [join(REPO, "node_modules/@types")],
};

/** The user's program: models with a mixin, links, a named query and validation. */
const MAIN = `import { createModels, type Author } from "../generated/index.js";
import { ValidationError } from "perstore-runtime";

const { Author: Authors, Book, Person } = createModels();
const author: Author = await Authors.create({
  id: "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  name: "Frank Herbert",
});
await Book.create({
  isbn: "9780441013593",
  title: "Dune",
  authorId: author.id,
  status: "published",
  year: 1965,
});
const books = await author.books();
const ada = await Person.create({
  id: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  birthDate: "1815-12-10",
});
let refused = "";
try {
  await Authors.create({ id: "not-a-uuid", name: "x" });
} catch (error) {
  if (error instanceof ValidationError) refused = error.code;
}
console.log(JSON.stringify({
  books: books.map((b) => b.title),
  age: ada.ageOn(new Date("1852-11-27")),
  refused,
}));
`;

const EXPECTED_OUTPUT = { books: ["Dune"], age: 36, refused: "VALIDATION_FAILED" };

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "perstore-user-build-"));
  const result = await compile({ root: REPO, config: { out: "generated" } });
  for (const file of result.files) {
    const path = join(project, "generated", file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
  }
  await mkdir(join(project, "schemas"));
  await writeFile(
    join(project, "schemas/person.mixin.ts"),
    await readFile(join(REPO, "schemas/person.mixin.ts"), "utf8"),
  );
  await mkdir(join(project, "src"));
  await writeFile(join(project, "src/main.ts"), MAIN);
  await writeFile(join(project, "package.json"), JSON.stringify({ type: "module" }));
  await mkdir(join(project, "node_modules"));
  await symlink(REPO, join(project, "node_modules/perstore-runtime"), "dir");
  await writeFile(
    join(project, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: { ...STRICTEST, rootDir: ".", outDir: "build" },
        include: ["src", "generated", "schemas"],
      },
      null,
      2,
    ),
  );
}, 120_000);

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function tsc(binary: string, args: readonly string[]): Promise<string> {
  try {
    await exec(process.execPath, [binary, ...args], { cwd: project });
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}` || String(error);
  }
}

async function runNode(file: string): Promise<unknown> {
  const { stdout } = await exec(process.execPath, [file], { cwd: project });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("generated code in a user's build", () => {
  it("type-checks under the strictest settings, and `tsc` builds a program that runs from its outDir", async () => {
    expect(await tsc(TSC, ["-p", "tsconfig.json"])).toBe("");
    // The validators are TypeScript modules, so tsc carries them to outDir.
    await readFile(join(project, "build/generated/book.validator.js"), "utf8");
    expect(await runNode(join(project, "build/src/main.js"))).toEqual(EXPECTED_OUTPUT);
  }, 300_000);

  it.runIf(process.env["TYPESCRIPT_NEXT_TSC"] !== undefined)(
    "type-checks with the current TypeScript major too (TYPESCRIPT_NEXT_TSC)",
    async () => {
      expect(
        await tsc(process.env["TYPESCRIPT_NEXT_TSC"]!, ["-p", "tsconfig.json", "--noEmit"]),
      ).toBe("");
    },
    300_000,
  );

  it("bundles with esbuild into a program that runs", async () => {
    const outfile = join(project, "bundle/main.mjs");
    await esbuild({
      entryPoints: [join(project, "src/main.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      packages: "external",
      logLevel: "silent",
    });
    expect(await runNode(outfile)).toEqual(EXPECTED_OUTPUT);
  }, 300_000);
});
