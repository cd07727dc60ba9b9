import { defineCommand } from "../command.js";
import { serveOptions } from "./serve-options.js";

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
