/** `perstore init`: a config file and one example schema. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_FILE, DEFAULT_CONFIG } from "../../compiler/index.js";
import type { CommandRun } from "../command.js";
import type { initOptions } from "../specs/init.js";

const EXAMPLE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Note",
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    title: { type: "string", maxLength: 200 },
    body: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    createdAt: { type: "string", format: "date-time", readonly: true },
  },
  required: ["id", "title"],
  additionalProperties: false,
  queries: { tagged: "contains(tags,$1)&sort(-createdAt)" },
};

/** What perstore keeps for itself in the project (format cache, the embedded database): never committed. */
const PRIVATE_DIR = ".perstore/";

/** Add `.perstore/` to `.gitignore` (created when missing) unless a line already ignores it; what was done, or undefined. */
async function ignorePrivateDir(cwd: string): Promise<string | undefined> {
  const file = join(cwd, ".gitignore");
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const ignored = (text ?? "")
    .split(/\r?\n/)
    .some((line) => /^\/?\.perstore\/?(\*\*?)?\s*$/.test(line.trim()));
  if (ignored) return undefined;
  const prefix = text === undefined || text === "" || text.endsWith("\n") ? "" : "\n";
  await writeFile(file, `${text ?? ""}${prefix}${PRIVATE_DIR}\n`);
  return text === undefined ? "created .gitignore" : `added ${PRIVATE_DIR} to .gitignore`;
}

/** `perstore init` (options in ../specs/init.ts). */
export const runInit: CommandRun<typeof initOptions> = async ({ values }, io) => {
  const flag = values.force ? "w" : "wx";
  const files: [string, string][] = [
    [CONFIG_FILE, `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`],
    [
      join(DEFAULT_CONFIG.schemas, "note.schema.json"),
      `${JSON.stringify(EXAMPLE_SCHEMA, null, 2)}\n`,
    ],
  ];
  await mkdir(join(io.cwd, DEFAULT_CONFIG.schemas), { recursive: true });
  for (const [file, text] of files) {
    try {
      await writeFile(join(io.cwd, file), text, { flag });
      io.stdout.write(`  created ${file}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      io.stdout.write(`  kept ${file} (exists)\n`);
    }
  }
  const ignored = await ignorePrivateDir(io.cwd);
  if (ignored) io.stdout.write(`  ${ignored}\n`);
  io.stdout.write("next: edit the schema, then run `perstore build`\n");
  return 0;
};
