/** `perstore init`: a config file and one example schema. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_FILE, DEFAULT_CONFIG } from "../../compiler/index.js";
import { parseFlags, type Command } from "../command.js";

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

export const initCommand: Command = {
  name: "init",
  summary: "create perstore.config.json and an example schema",
  help: `Usage: perstore init [--force]

Write perstore.config.json and schemas/note.schema.json in the current folder.
Existing files are left alone unless --force is given.
`,
  async run(args, io) {
    const { flags, unknown } = parseFlags(args, ["--force", "--help", "-h"]);
    if (flags.has("--help") || flags.has("-h")) {
      io.stdout.write(this.help);
      return 0;
    }
    if (unknown.length > 0) {
      io.stderr.write(`unknown option ${unknown.join(", ")}\n`);
      return 2;
    }
    const flag = flags.has("--force") ? "w" : "wx";
    const files: [string, string][] = [
      [CONFIG_FILE, `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`],
      [join(DEFAULT_CONFIG.schemas, "note.schema.json"), `${JSON.stringify(EXAMPLE_SCHEMA, null, 2)}\n`],
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
    io.stdout.write("next: edit the schema, then run `perstore build`\n");
    return 0;
  },
};
