import { defineCommand, type OptionSpecs } from "../command.js";

export const buildOptions = {
  check: {
    type: "boolean",
    short: "c",
    description: "write nothing; exit 1 listing stale files when the output is out of date (CI)",
  },
  watch: {
    type: "boolean",
    short: "w",
    description:
      "build, then rebuild on every change under the schemas folder (only the\nmodels a change affects are re-emitted); Ctrl-C stops",
  },
  json: {
    type: "boolean",
    description: "print the result as one JSON document (with --check too)",
  },
} as const satisfies OptionSpecs;

export const buildCommand = defineCommand({
  name: "build",
  summary: "compile the schemas into typed models in generated/",
  description: `Compile every *.schema.json in the schemas folder (perstore.config.json) into
typed model classes, validators, query predicates, db.ts, DDL and index.ts.
Files are written atomically and only when their content changes. A build
removes only files an earlier build wrote (their first line is perstore's
banner naming a source in the schemas folder) that no schema produces any
more; never your files, never a subfolder such as migrations/, and nothing
when the schemas folder holds no schema.`,
  options: buildOptions,
  load: async () => (await import("../commands/build.js")).runBuild,
});
