/**
 * `npm run bench`: runs every benchmark file in turn, each in its own Node
 * process so one bench's heap (a million records) never slows the next.
 *
 *   npm run bench                       # all of them: memory, compile, sql, then any other
 *   npm run bench -- memory             # a subset, by file name without .ts
 *   npm run bench -- memory --size 100000   # from the first option on, args go to every bench
 *
 * A bench file is a plain script (`bench/<name>.ts`) that runs when executed
 * and exits non-zero on failure (e.g. peers disagreeing on a result).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const PREFERRED_ORDER = ["memory", "compile", "sql"];
const NOT_BENCHES = new Set(["index", "data"]);

function available(): string[] {
  const names = readdirSync(here)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -3))
    .filter((name) => !NOT_BENCHES.has(name));
  const rank = (name: string) => {
    const i = PREFERRED_ORDER.indexOf(name);
    return i === -1 ? PREFERRED_ORDER.length : i;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function main(argv: readonly string[]): number {
  const all = available();
  // Bench names come first; everything from the first option on goes to the benches.
  const firstOption = argv.findIndex((arg) => arg.startsWith("-"));
  const names = firstOption === -1 ? [...argv] : argv.slice(0, firstOption);
  const forwarded = firstOption === -1 ? [] : argv.slice(firstOption);
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(", ")} (available: ${all.join(", ")})`);
    return 2;
  }
  const selected = names.length > 0 ? names : all;
  const failed: string[] = [];
  for (const name of selected) {
    console.log(`\n# bench/${name}.ts`);
    const child = spawnSync(
      process.execPath,
      [
        "--max-old-space-size=6144",
        "--expose-gc",
        "--import",
        "tsx",
        `${here}${name}.ts`,
        ...forwarded,
      ],
      { stdio: "inherit" },
    );
    if (child.status !== 0) failed.push(`${name} (exit ${child.status ?? child.signal})`);
  }
  if (failed.length > 0) {
    console.error(`\nbench failed: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
