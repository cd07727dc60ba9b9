import { defineCommand } from "../command.js";
import { initOptions } from "./init-options.js";

export const initCommand = defineCommand({
  name: "init",
  summary: "set up a project: config, an example schema and program, ESM and tsconfig",
  description: `Set up perstore in the current folder so that it runs: perstore.config.json,
an example schema and mixin, an example program (example.ts), a tsconfig.json
when there is none, "type": "module" in package.json (created when missing),
and .perstore/ in .gitignore. Names the dev dependencies the project needs
(or installs them with --install) and prints the one command that runs the
example. Existing files are kept unless --force is given.`,
  options: initOptions,
  load: async () => (await import("../commands/init.js")).runInit,
});
