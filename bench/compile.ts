/**
 * Compiler benchmark: cold compile of N synthetic models, a one-model
 * rebuild with a warm format cache (what watch mode does), and tsc time over
 * the output. Usage: tsx bench/compile.ts [10 100 500]
 */
import { mkdtemp, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, type SchemaSource } from "../src/compiler/index.js";

function syntheticSources(n: number, variant = 0): SchemaSource[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `Model${i}`;
    const schema = {
      title: name,
      type: "object",
      properties: {
        id: { type: "string", format: "uuid" },
        name: { type: "string", maxLength: 80 + (i === 0 ? variant : 0) },
        count: { type: "integer", minimum: 0 },
        createdAt: { type: "string", format: "date-time" },
        ...(i > 0 ? { parentId: { type: "string", format: "uuid" } } : {}),
      },
      required: ["id", "name"],
      ...(i > 0 ? { links: [{ rel: "parent", href: `Model${i - 1}/{parentId}` }] } : {}),
      queries: { named: "eq(name,$1)&sort(+count)" },
    };
    return { file: `schemas/model${i}.schema.json`, text: JSON.stringify(schema) };
  });
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const root = await mkdtemp(join(tmpdir(), "perstore-bench-"));
await mkdir(join(root, "schemas"), { recursive: true });
await writeFile(join(root, "perstore.config.json"), "{}");
console.log("| models | cold compile (ms) | one-model rebuild (ms) |");
console.log("| ---: | ---: | ---: |");
for (const n of sizes.length > 0 ? sizes : [10, 100, 500]) {
  const cache = new Map<string, string>();
  let t = performance.now();
  await compile({ root, sources: syntheticSources(n), formatCache: cache });
  const cold = performance.now() - t;
  t = performance.now();
  await compile({ root, sources: syntheticSources(n, 1), formatCache: cache });
  const rebuild = performance.now() - t;
  console.log(`| ${n} | ${cold.toFixed(0)} | ${rebuild.toFixed(0)} |`);
}
