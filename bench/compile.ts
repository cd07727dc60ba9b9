/**
 * Compiler benchmark, per model count, each size in a fresh Node process:
 *   - cold: the first `perstore build` of N synthetic models into an empty
 *     output folder (load, IR, emit, prettier, write), no caches;
 *   - rebuild: what `perstore build --watch` does after one schema file
 *     changes on disk (same build session), median of several edits; the
 *     bench fails unless exactly that model's files and the project files
 *     were re-emitted, and (up to 100 models) the rebuilt output equals a
 *     fresh build's;
 *   - tsc: `tsc --noEmit` over the generated folder (with perstore's own
 *     sources, which every size pays once).
 *
 * Usage: tsx bench/compile.ts [10 100 200 500] [--no-tsc]
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, createBuildSession } from "../src/compiler/index.js";

const here = fileURLToPath(import.meta.url);
const repo = fileURLToPath(new URL("..", import.meta.url));

/** Schema text of synthetic model `i`: 5 properties, a link to the previous model, a named query. */
function syntheticSchema(i: number, variant = 0): string {
  const schema = {
    title: `Model${i}`,
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" },
      name: { type: "string", maxLength: 80 + variant },
      count: { type: "integer", minimum: 0 },
      createdAt: { type: "string", format: "date-time" },
      ...(i > 0 ? { parentId: { type: "string", format: "uuid" } } : {}),
    },
    required: ["id", "name"],
    ...(i > 0 ? { links: [{ rel: "parent", href: `Model${i - 1}/{parentId}` }] } : {}),
    queries: { named: "eq(name,$1)&sort(+count)" },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

interface Row {
  models: number;
  coldMs: number;
  coldCpuMs: number;
  rebuildMs: number;
  rebuildCpuMs: number;
  tscMs?: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function child(n: number, tsc: boolean): Promise<Row> {
  const root = await mkdtemp(join(tmpdir(), "perstore-bench-compile-"));
  try {
    await mkdir(join(root, "schemas"));
    await writeFile(join(root, "perstore.config.json"), "{}\n");
    await writeFile(
      join(root, "package.json"),
      `${JSON.stringify({ type: "module", private: true })}\n`,
    );
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        writeFile(join(root, `schemas/model${i}.schema.json`), syntheticSchema(i)),
      ),
    );

    const session = createBuildSession({ root });
    let cpu = process.cpuUsage();
    let t = performance.now();
    const first = await session.build();
    const coldMs = performance.now() - t;
    const coldCpuMs = cpuMs(cpu);
    if (first.written.length !== first.files.length)
      throw new Error("cold build did not write every file");

    const changed = Math.floor(n / 2);
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let run = 1; run <= 7; run++) {
      await writeFile(
        join(root, `schemas/model${changed}.schema.json`),
        syntheticSchema(changed, run),
      );
      cpu = process.cpuUsage();
      t = performance.now();
      const again = await session.build();
      walls.push(performance.now() - t);
      cpus.push(cpuMs(cpu));
      if (again.emittedModels.join() !== `Model${changed}`)
        throw new Error(`rebuild re-emitted ${again.emittedModels.join(", ")}`);
      const expected = [
        `model${changed}.validator.ts`,
        `model${changed}.types.ts`,
        `model${changed}.ts`,
        "schema.sql",
        "db.ts",
      ];
      const unexpected = again.written.filter((f) => !expected.includes(f));
      if (unexpected.length > 0 || !again.written.includes(`model${changed}.validator.ts`)) {
        throw new Error(`rebuild wrote ${again.written.join(", ")}`);
      }
      if (run === 7 && n <= 100) {
        const fresh = await compile({ root });
        if (JSON.stringify(fresh.files) !== JSON.stringify(again.files))
          throw new Error("rebuilt output differs from a fresh build");
      }
    }
    await session.close();

    let tscMs: number | undefined;
    if (tsc) {
      await writeFile(
        join(root, "tsconfig.json"),
        JSON.stringify({
          extends: join(repo, "tsconfig.json"),
          compilerOptions: {
            noEmit: true,
            typeRoots: [join(repo, "node_modules/@types")],
            paths: { perstore: [join(repo, "src/index.ts")] },
          },
          include: [join(root, "generated")],
        }),
      );
      t = performance.now();
      const result = spawnSync(
        process.execPath,
        [join(repo, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.json")],
        { encoding: "utf8" },
      );
      tscMs = performance.now() - t;
      if (result.status !== 0)
        throw new Error(
          `tsc failed over the generated code:\n${(result.stdout + result.stderr).slice(0, 2000)}`,
        );
    }
    return {
      models: n,
      coldMs,
      coldCpuMs,
      rebuildMs: median(walls),
      rebuildCpuMs: median(cpus),
      ...(tscMs === undefined ? {} : { tscMs }),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const childAt = args.indexOf("--child");
if (childAt >= 0) {
  const row = await child(Number(args[childAt + 1]), !args.includes("--no-tsc"));
  console.log(JSON.stringify(row));
} else {
  const sizes = args
    .flatMap((a) => a.split(","))
    .map(Number)
    .filter((n) => n > 0);
  const tsc = !args.includes("--no-tsc");
  console.log(
    "| models | cold build (ms) | cold CPU (ms) | one-model rebuild (ms) | rebuild CPU (ms) | tsc over output (ms) |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  let failed = false;
  for (const n of sizes.length > 0 ? sizes : [10, 100, 200, 500]) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, here, "--child", String(n), ...(tsc ? [] : ["--no-tsc"])],
      { encoding: "utf8" },
    );
    const line = run.stdout.trim().split("\n").pop() ?? "";
    if (run.status !== 0 || !line.startsWith("{")) {
      console.error(`${n} models failed:\n${run.stdout}${run.stderr}`);
      failed = true;
      continue;
    }
    const r = JSON.parse(line) as Row;
    const f = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(0));
    console.log(
      `| ${r.models} | ${f(r.coldMs)} | ${f(r.coldCpuMs)} | ${f(r.rebuildMs)} | ${f(r.rebuildCpuMs)} | ${f(r.tscMs)} |`,
    );
  }
  if (failed) process.exitCode = 1;
}
