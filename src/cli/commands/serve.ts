/** `perstore serve [--port N] [--host H] [--memory]`: the project's models over HTTP. */
import { loadConfig } from "../../compiler/index.js";
import { parseServerConfig } from "../../server/server-config.js";
import { createHandler } from "../../server/create-handler.js";
import { serveNode } from "../../server/serve-node.js";
import { openDatabase } from "../../store/sql/open-database.js";
import type { CommandRun } from "../command.js";
import type { serveOptions } from "../specs/serve.js";
import { UsageError } from "../usage-error.js";
import { loadProjectModels } from "../load-project-models.js";

/** `perstore serve` (options in ../specs/serve.ts). */
export const runServe: CommandRun<typeof serveOptions> = async ({ values }, io) => {
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(/^\d+$/.test(values.port!) && port <= 65535)) {
    throw new UsageError(`--port must be a port number from 0 to 65535, got "${values.port}"`);
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
    ...(server.timeoutMs !== undefined ? { timeoutMs: server.timeoutMs } : {}),
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
};

/** A database URL fit for a log: the password replaced. */
function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
