import { defineCommand, type OptionSpecs } from "../command.js";

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
} as const satisfies OptionSpecs;

export const serveCommand = defineCommand({
  name: "serve",
  summary: "serve the models over HTTP, with facets as the only way in",
  description: `Serves every model of the project over HTTP (GET/PUT/PATCH/DELETE /<Model>/<id>,
POST /<Model>/, GET /<Model>/?<rql> with Range paging). Requests reach models only
through the facets perstore.config.json's "server.access" grants to their role.

The database is DATABASE_URL, else perstore.config.json "database" (run
\`perstore migrate up\` first). SIGTERM or Ctrl-C finish in-flight requests, then exit.`,
  options: serveOptions,
  load: async () => (await import("../commands/serve.js")).runServe,
});
