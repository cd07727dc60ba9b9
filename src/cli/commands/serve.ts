/** `perstore serve [--port N] [--host H] [--memory]`: the project's models over HTTP. */
import type { Kysely } from "kysely";
import { loadConfig } from "../../compiler/config.js";
import { parseServerConfig, type ServerConfig } from "../../server/server-config.js";
import { createHandler } from "../../server/create-handler.js";
import { serveNode } from "../../server/serve-node.js";
import { openDatabase } from "../../store/sql/open-database.js";
import { STUDIO_PATH, withStudio } from "../../studio/index.js";
import type { CliIO, CommandRun } from "../command.js";
import { count } from "../color.js";
import { describeThrown } from "../describe-thrown.js";
import { startDatabase } from "../database-progress.js";
import type { serveOptions } from "../specs/serve-options.js";
import { UsageError } from "../usage-error.js";
import { loadProjectModels, type ProjectModels } from "../load-project-models.js";
import { databaseTarget, describeTarget, withTarget } from "./migrate-database.js";
import { servedDatabaseStatus, type StatusReport } from "./migrate-status.js";

/** `perstore serve` (options in ../specs/serve-options.ts). */
export const runServe: CommandRun<typeof serveOptions> = async ({ values }, io) => {
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(/^\d+$/.test(values.port!) && port <= 65535)) {
    throw new UsageError(`--port must be a port number from 0 to 65535, got "${values.port}"`);
  }
  const config = await loadConfig(io.cwd);
  const server = await parseServerConfig(config.server);
  const { createModels, openapi } = await loadProjectModels(config);
  if (values.memory) return serveModels(io, values, port, server, createModels, openapi, undefined);
  // The database: started (embedded) or connected before listening, with a progress line; a
  // failure to reach it names the URL's source (DATABASE_URL or the config), password hidden.
  const target = databaseTarget(config);
  return withTarget(target, config.root, openDatabase, async (db) => {
    await startDatabase(io, target, config.root, db);
    return serveModels(io, values, port, server, createModels, openapi, {
      db,
      where: describeTarget(target, config.root),
      migrations: () => servedDatabaseStatus(config, target, db),
    });
  });
};

/** Listens until SIGTERM or SIGINT, then finishes in-flight requests; `database` undefined = in memory. */
async function serveModels(
  io: CliIO,
  values: { host?: string; studio?: boolean },
  port: number | undefined,
  server: ServerConfig,
  createModels: ProjectModels["createModels"],
  openapi: ProjectModels["openapi"],
  database: { db: Kysely<any>; where: string; migrations: () => Promise<StatusReport> } | undefined,
): Promise<number> {
  const models = createModels(database ? { db: database.db } : {});
  const handler = createHandler({
    models,
    access: server.access,
    ...(openapi ? { openapi } : {}),
    // /migrations.json for the config's privileged roles: what `perstore migrate status` reports.
    ...(database ? { migrations: database.migrations } : {}),
    ...(server.cors ? { cors: server.cors } : {}),
    ...(server.maxBodyBytes !== undefined ? { maxBodyBytes: server.maxBodyBytes } : {}),
    ...(server.timeoutMs !== undefined ? { timeoutMs: server.timeoutMs } : {}),
    // A stack where there is one; never `[object Object]` for a non-Error throw.
    onError: (error) =>
      io.stderr.write(
        `error: ${error instanceof Error && error.stack ? error.stack : describeThrown(error)}\n`,
      ),
  });
  const running = await serveNode(values.studio ? withStudio(handler) : handler, {
    port: port ?? server.port,
    host: values.host ?? server.host,
    log: (line) => io.stdout.write(`${line}\n`),
    ...(server.timeoutMs !== undefined ? { timeoutMs: server.timeoutMs } : {}),
  });
  const where = database ? database.where : "in memory";
  io.stdout.write(
    `perstore serving ${count(Object.keys(models).length, "model")} (${where}) at ${running.url}\n`,
  );
  if (values.studio) io.stdout.write(`perstore studio at ${running.url}${STUDIO_PATH}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  io.stdout.write("shutting down: finishing in-flight requests\n");
  await running.close();
  return 0;
}
