import { defineCommand } from "../command.js";
import { buildOptions } from "./build-options.js";

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
