/** The options of `perstore build`: declared apart from the command so its code can use their types without importing the declaration (no cycle). */
import type { OptionSpecs } from "../command.js";

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
