/**
 * Keeps README.md's code true: every ```ts block preceded by a
 * `<!-- readme-test -->` comment is written to its own module and imported,
 * and must not throw.
 *
 * The blocks are written as if they sat at the repository root (they import
 * `./generated/index.js` and read `generated/migrations`), so each runs in a
 * fresh temporary folder that links `generated/` to the repository's, with the
 * working directory set to it: files a block writes (people.json) land there.
 * `perstore` and `perstore/compiler` resolve through vitest's aliases.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The marked ```ts blocks, with the line each starts on (for the test name). */
function markedBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const pattern = /<!-- readme-test -->\s*\n```ts\n([\s\S]*?)\n```/g;
  for (const match of markdown.matchAll(pattern)) {
    const line = markdown.slice(0, match.index).split("\n").length;
    blocks.push({ line, code: match[1] ?? "" });
  }
  return blocks;
}

const blocks = markedBlocks(readme);
let workDir = "";
const startDir = process.cwd();

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "perstore-readme-"));
  symlinkSync(join(root, "generated"), join(workDir, "generated"), "dir");
  process.chdir(workDir);
});

afterAll(() => {
  process.chdir(startDir);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("README.md code", () => {
  it("marks the tour's query and migrate blocks and the store and query blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  for (const [index, block] of blocks.entries()) {
    // Generous: a block that starts PGlite (its first start alone has taken 35 s on a loaded 2-core machine).
    it(`block at README.md:${block.line} runs`, { timeout: 240_000 }, async () => {
      const file = join(workDir, `block-${index}.ts`);
      writeFileSync(file, `${block.code}\nexport {};\n`);
      await expect(import(pathToFileURL(file).href)).resolves.toBeDefined();
    });
  }
});
