/** The options of `perstore init`: declared apart from the command so its code can use their types without importing the declaration (no cycle). */
import type { OptionSpecs } from "../command.js";

export const initOptions = {
  force: {
    type: "boolean",
    short: "f",
    description: "overwrite the config and example files (never an existing tsconfig.json)",
  },
  esm: {
    type: "boolean",
    description:
      'change "type": "commonjs" in package.json to "module" (perstore\'s generated\ncode is ESM; without this flag init stops and says so)',
  },
  install: {
    type: "boolean",
    short: "i",
    description: "install the dev dependencies it names with the project's package manager",
  },
} as const satisfies OptionSpecs;
