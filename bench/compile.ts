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
 * Then, end to end, `node bin/perstore.js build` (the compiled dist/) in a
 * new process each time, for the one-model project (the peer) and N models,
 * interleaved run by run so load changes hit both alike:
 *   - cold: empty output folder, no `.perstore/cache`;
 *   - one edit: one schema changed since the last build (the cache of that
 *     build in place); the bench fails unless exactly that model's files and
 *     the project files were written, and unless the output then equals a
 *     cold build's byte for byte.
 * CPU is the child's over all its threads (user + system, from a preloaded
 * exit hook); medians of --runs (default 5).
 *
 * Usage: tsx bench/compile.ts [10 100 200 500] [--no-tsc] [--e2e 200] [--runs 5] [--no-e2e | --e2e-only]
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
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
  const root = await syntheticProject(n);
  try {
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
        "openapi.ts",
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

async function syntheticProject(n: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "perstore-bench-compile-"));
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
  return root;
}

// Prints the process's CPU time (every thread) as it exits; the CLI's own output is left alone.
const CPU_HOOK = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\n@cpu "+(u.user+u.system)/1000+"\\n")})`;

interface CliRun {
  wallMs: number;
  cpuMs: number;
  written: string[];
}

/** `perstore build` in a new process (dist/), its wall and CPU time and the files it wrote. */
function cliBuild(root: string): CliRun {
  const t = performance.now();
  const run = spawnSync(
    process.execPath,
    ["--import", CPU_HOOK, join(repo, "bin/perstore.js"), "build", "--json"],
    { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
  const wallMs = performance.now() - t;
  const cpu = /@cpu ([\d.]+)/.exec(run.stderr);
  if (run.status !== 0 || cpu === null)
    throw new Error(`perstore build failed in ${root}:\n${run.stdout}${run.stderr}`);
  const report = JSON.parse(run.stdout) as { written: string[] };
  return { wallMs, cpuMs: Number(cpu[1]), written: report.written };
}

async function outputOf(root: string): Promise<Map<string, string>> {
  const dir = join(root, "generated");
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile());
  return new Map(
    await Promise.all(
      names.map(async (e): Promise<[string, string]> => [
        e.name,
        await readFile(join(dir, e.name), "utf8"),
      ]),
    ),
  );
}

interface EndToEnd {
  coldWall: number[];
  coldCpu: number[];
  editWall: number[];
  editCpu: number[];
}

/** Cold and one-edit builds of the 1-model project and of each size, interleaved, `runs` times. */
async function endToEnd(sizes: readonly number[], runs: number): Promise<Map<number, EndToEnd>> {
  const all = [1, ...sizes.filter((n) => n !== 1)];
  const roots = new Map(
    await Promise.all(all.map(async (n) => [n, await syntheticProject(n)] as const)),
  );
  const out = new Map(
    all.map((n) => [n, { coldWall: [], coldCpu: [], editWall: [], editCpu: [] } as EndToEnd]),
  );
  try {
    for (let run = 1; run <= runs; run++) {
      for (const n of all) {
        const root = roots.get(n)!;
        const row = out.get(n)!;
        await rm(join(root, "generated"), { recursive: true, force: true });
        await rm(join(root, ".perstore"), { recursive: true, force: true });
        const cold = cliBuild(root);
        row.coldWall.push(cold.wallMs);
        row.coldCpu.push(cold.cpuMs);
        const changed = Math.floor(n / 2);
        await writeFile(
          join(root, `schemas/model${changed}.schema.json`),
          syntheticSchema(changed, run),
        );
        const edit = cliBuild(root);
        row.editWall.push(edit.wallMs);
        row.editCpu.push(edit.cpuMs);
        const allowed = new Set([
          `model${changed}.validator.ts`,
          `model${changed}.types.ts`,
          `model${changed}.ts`,
          "schema.sql",
          "db.ts",
          "openapi.ts",
        ]);
        if (
          !edit.written.includes(`model${changed}.validator.ts`) ||
          edit.written.some((f) => !allowed.has(f))
        )
          throw new Error(`${n} models: the one-edit build wrote ${edit.written.join(", ")}`);
        if (run === runs) {
          // The edited output must equal a cold build's, byte for byte.
          const edited = await outputOf(root);
          await rm(join(root, "generated"), { recursive: true, force: true });
          await rm(join(root, ".perstore"), { recursive: true, force: true });
          cliBuild(root);
          const fresh = await outputOf(root);
          if (edited.size !== fresh.size || [...fresh].some(([f, text]) => edited.get(f) !== text))
            throw new Error(`${n} models: the one-edit build's output differs from a cold build's`);
        }
      }
    }
  } finally {
    await Promise.all(
      [...roots.values()].map((root) => rm(root, { recursive: true, force: true })),
    );
  }
  return out;
}

function printEndToEnd(rows: Map<number, EndToEnd>): void {
  const peer = rows.get(1)!;
  const f = (x: number) => x.toFixed(0);
  console.log(
    "\n`perstore build` in a new process (dist/), medians; ratios against the 1-model project in this run:\n",
  );
  console.log(
    "| models | cold wall (ms) | cold CPU (ms) | one-edit wall (ms) | one-edit CPU (ms) | one-edit CPU / 1-model one-edit CPU | one-edit wall / 1-model one-edit wall |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [n, r] of rows) {
    console.log(
      `| ${n} | ${f(median(r.coldWall))} | ${f(median(r.coldCpu))} | ${f(median(r.editWall))} | ${f(median(r.editCpu))} | ${(median(r.editCpu) / median(peer.editCpu)).toFixed(2)} | ${(median(r.editWall) / median(peer.editWall)).toFixed(2)} |`,
    );
  }
}

const args = process.argv.slice(2);
const childAt = args.indexOf("--child");
const valueOf = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
if (childAt >= 0) {
  const row = await child(Number(args[childAt + 1]), !args.includes("--no-tsc"));
  console.log(JSON.stringify(row));
} else {
  const flagValues = new Set(
    ["--e2e", "--runs"].map((f) => args.indexOf(f) + 1).filter((i) => i > 0),
  );
  const sizes = args
    .filter((_, i) => !flagValues.has(i))
    .flatMap((a) => a.split(","))
    .map(Number)
    .filter((n) => n > 0);
  const tsc = !args.includes("--no-tsc");
  console.log(
    "| models | cold build (ms) | cold CPU (ms) | one-model rebuild (ms) | rebuild CPU (ms) | tsc over output (ms) |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  let failed = false;
  for (const n of args.includes("--e2e-only")
    ? []
    : sizes.length > 0
      ? sizes
      : [10, 100, 200, 500]) {
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
  if (!args.includes("--no-e2e")) {
    const e2eSizes = (valueOf("--e2e") ?? "200")
      .split(",")
      .map(Number)
      .filter((n) => n > 0);
    printEndToEnd(await endToEnd(e2eSizes, Number(valueOf("--runs") ?? 5)));
  }
  if (failed) process.exitCode = 1;
}
