/** `perstore serve [--port N] [--host H] [--memory]`: the project's models over HTTP. */
import { parseArgs } from "node:util";
import { loadConfig } from "../../compiler/index.js";
import { parseServerConfig } from "../../server/server-config.js";
import { createHandler } from "../../server/create-handler.js";
import { serveNode } from "../../server/serve-node.js";
import { openDatabase } from "../../store/sql/open-database.js";
import type { CliIO, Command } from "../command.js";
import { loadProjectModels } from "../load-project-models.js";

const HELP = `Usage: perstore serve [--port N] [--host H] [--memory]

Serves every model of the project over HTTP (GET/PUT/PATCH/DELETE /<Model>/<id>,
POST /<Model>/, GET /<Model>/?<rql> with Range paging). Requests reach models only
through the facets perstore.config.json's "server.access" grants to their role.

  --port N     port to listen on (default: server.port, else 3000; 0 picks a free one)
  --host H     interface to listen on (default: server.host, else 127.0.0.1)
  --memory     keep records in memory instead of the configured database (lost on exit)

The database is DATABASE_URL, else perstore.config.json "database" (run
\`perstore migrate up\` first). SIGTERM or Ctrl-C finish in-flight requests, then exit.
`;

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the models over HTTP, with facets as the only way in",
  help: HELP,
  async run(args, io) {
    let values: { port?: string; host?: string; memory?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: {
          port: { type: "string", short: "p" },
          host: { type: "string" },
          memory: { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
        strict: true,
      }));
    } catch (error) {
      io.stderr.write(`perstore serve: ${(error as Error).message}\n`);
      return 2;
    }
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      io.stderr.write(`perstore serve: --port must be a port number, got "${values.port}"\n`);
      return 2;
    }
    const config = await loadConfig(io.cwd);
    const server = await parseServerConfig(config.server);
    const { createModels, openapi } = await loadProjectModels(config);
    const db = values.memory ? undefined : openDatabase(config.database);
    const models = createModels(db ? { db } : {});
    const handler = createHandler({
      models,
      access: server.access,
      ...(openapi ? { openapi } : {}),
      ...(server.cors ? { cors: server.cors } : {}),
      ...(server.maxBodyBytes !== undefined ? { maxBodyBytes: server.maxBodyBytes } : {}),
      ...(server.timeoutMs !== undefined ? { timeoutMs: server.timeoutMs } : {}),
      onError: (error) => io.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`),
    });
    const running = await serveNode(handler, {
      port: port ?? server.port,
      host: values.host ?? server.host,
      log: (line) => io.stdout.write(`${line}\n`),
    });
    const where = values.memory ? "in memory" : redactUrl(config.database);
    io.stdout.write(
      `perstore serving ${Object.keys(models).length} models (${where}) at ${running.url}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    io.stdout.write("shutting down: finishing in-flight requests\n");
    await running.close();
    await db?.destroy();
    return 0;
  },
};

/** A database URL fit for a log: the password replaced. */
function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
