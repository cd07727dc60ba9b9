/** The options of `perstore migrate` and its actions: declared apart from the command so its code can use their types without importing the declaration (no cycle). */
import type { OptionSpecs } from "../command.js";

export const createOptions = {
  "allow-destructive": {
    type: "boolean",
    description: "write destructive steps instead of refusing them",
  },
  empty: {
    type: "boolean",
    description: "write a migration with empty up and down parts, for hand-written SQL",
  },
} as const satisfies OptionSpecs;

export const upOptions = {} as const satisfies OptionSpecs;

export const downOptions = {
  "allow-destructive": {
    type: "boolean",
    description: "run destructive down parts instead of refusing them",
  },
} as const satisfies OptionSpecs;

export const statusOptions = {
  "exit-code": {
    type: "boolean",
    description: "exit 1 also when anything is pending or the schemas changed (CI)",
  },
  json: { type: "boolean", description: "print one JSON object instead of text" },
} as const satisfies OptionSpecs;

export const resetOptions = {
  force: { type: "boolean", description: "reset a database that is not local" },
  "skip-seed": { type: "boolean", description: "do not run the seed module" },
} as const satisfies OptionSpecs;

export const migrateOptions = {} as const satisfies OptionSpecs;
