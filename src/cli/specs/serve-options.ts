/** The options of `perstore serve`: declared apart from the command so its code can use their types without importing the declaration (no cycle). */
import type { OptionSpecs } from "../command.js";

export const serveOptions = {
  port: {
    type: "string",
    short: "p",
    value: "N",
    description: "port to listen on (default: server.port, else 3000; 0 picks a free one)",
  },
  host: {
    type: "string",
    value: "H",
    description: "interface to listen on (default: server.host, else 127.0.0.1)",
  },
  memory: {
    type: "boolean",
    description: "keep records in memory instead of the configured database (lost on exit)",
  },
  studio: {
    type: "boolean",
    description: "also serve perstore studio, a data browser, at /_studio/",
  },
} as const satisfies OptionSpecs;
