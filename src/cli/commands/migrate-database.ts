/**
 * Which database a `migrate` command uses, said the way people need it: the
 * URL with its password hidden, where it came from (`DATABASE_URL`, the
 * config's "database", or the default), whether it is local (embedded, or a
 * server on this machine: what `migrate reset` may drop without --force), and,
 * for an embedded PGlite folder, whether it exists yet (`migrate status`
 * must not create one).
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { sql, type Kysely } from "kysely";
import { PerstoreError } from "../../errors/index.js";
import { CONFIG_FILE, type PerstoreConfig } from "../../compiler/index.js";
import type { CliIO } from "../command.js";
import { describeThrown } from "../describe-thrown.js";
import { startSpinner } from "../spinner.js";
import { redactDatabaseUrl } from "../../store/sql/redact-database-url.js";

export { redactDatabaseUrl };

export type DatabaseSource = "DATABASE_URL" | "config" | "default";

export interface DatabaseTarget {
  /** The URL to open (a relative `pglite:` folder made absolute from the project root). */
  readonly url: string;
  /** The URL as the user wrote it, password replaced by `***`. */
  readonly shown: string;
  readonly source: DatabaseSource;
  readonly kind: "pglite" | "memory" | "postgres";
  /** The embedded database's folder (absolute), for `pglite:` URLs. */
  readonly folder?: string;
  /** Embedded, or a server on a loopback address or a Unix socket. */
  readonly local: boolean;
  /** False only for a `pglite:` folder that holds no database yet. */
  readonly exists: boolean;
}

/** The database the CLI uses for `config` (`DATABASE_URL` is already in `config.database`). */
export function databaseTarget(
  config: PerstoreConfig,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseTarget {
  const written = config.database;
  const source: DatabaseSource =
    env["DATABASE_URL"] !== undefined
      ? "DATABASE_URL"
      : configNamesDatabase(config)
        ? "config"
        : "default";
  const shown = redactDatabaseUrl(written);
  if (written.startsWith("pglite:")) {
    const dir = written.slice("pglite:".length) || ".perstore/db";
    const folder = isAbsolute(dir) ? dir : resolve(config.root, dir);
    return {
      url: `pglite:${folder}`,
      shown,
      source,
      kind: "pglite",
      folder,
      local: true,
      // PostgreSQL's initdb writes PG_VERSION; a folder without it holds no database.
      exists: existsSync(join(folder, "PG_VERSION")),
    };
  }
  if (written.startsWith("memory:"))
    return { url: written, shown, source, kind: "memory", local: true, exists: true };
  return {
    url: written,
    shown,
    source,
    kind: "postgres",
    local: isLocalServer(written),
    exists: true,
  };
}

/** One line naming the database: `postgres://app:***@db.example.com/app (from DATABASE_URL)`. */
export function describeTarget(target: DatabaseTarget, root: string): string {
  const from =
    target.source === "DATABASE_URL"
      ? "from DATABASE_URL"
      : target.source === "config"
        ? `from ${CONFIG_FILE} "database"`
        : "the default";
  if (target.kind === "pglite") {
    const folder = relative(root, target.folder!) || ".";
    const where = folder.startsWith("..") || isAbsolute(folder) ? target.folder! : folder;
    return `embedded PGlite folder ${where} (${from})${target.exists ? "" : ", not created yet"}`;
  }
  if (target.kind === "memory") return `embedded PGlite in memory (${from})`;
  return `${target.shown} (${from})`;
}

function isLocalServer(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const socket = parsed.searchParams.get("host");
  if (socket !== null) return socket.startsWith("/");
  const host = decodeURIComponent(parsed.hostname)
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  return (
    host === "" ||
    host.startsWith("/") ||
    host === "localhost" ||
    host === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Whether perstore.config.json itself names the database (not only the default). */
function configNamesDatabase(config: PerstoreConfig): boolean {
  try {
    const raw = JSON.parse(readFileSync(join(config.root, CONFIG_FILE), "utf8")) as unknown;
    return typeof raw === "object" && raw !== null && "database" in raw;
  } catch {
    return false; // no config file: loadConfig has already reported a broken one
  }
}

/**
 * Opens the target, runs `fn`, closes it. A failure to reach the database
 * (refused, unknown host, bad password, no such database) becomes
 * CLI_DATABASE_UNREACHABLE naming the database and where its URL came from,
 * password hidden; other errors pass through.
 */
export async function withTarget<T>(
  target: DatabaseTarget,
  root: string,
  open: (url: string) => Kysely<any>,
  fn: (db: Kysely<any>) => Promise<T>,
  progress?: CliIO,
): Promise<T> {
  const db = open(target.url);
  try {
    if (progress !== undefined) await started(progress, target, db);
    return await fn(db);
  } catch (error) {
    if (!isConnectionFailure(error)) throw error;
    throw new PerstoreError(
      "CLI_DATABASE_UNREACHABLE",
      `cannot use the database ${describeTarget(target, root)}: ${describeThrown(error)}`,
      { cause: error },
    );
  } finally {
    await db.destroy();
  }
}

/**
 * Starts (embedded) or connects to (server) the database with a spinner on a
 * terminal's stderr: an embedded PGlite's start takes seconds and would look
 * like a hang. Off a terminal nothing is printed, so scripted output is stable.
 */
async function started(io: CliIO, target: DatabaseTarget, db: Kysely<any>): Promise<void> {
  const stop = startSpinner(
    io.stderr,
    target.kind === "postgres" ? "connecting to the database" : "starting the embedded database",
    { quietWithoutTty: true },
  );
  try {
    await sql`select 1`.execute(db);
  } finally {
    stop();
  }
}

/** Node's network errors and PostgreSQL's connection (08), authorization (28) and unknown-database (3D000) errors. */
function isConnectionFailure(error: unknown): boolean {
  if (error instanceof PerstoreError || typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return false;
  return (
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "ENOTFOUND",
      "EAI_AGAIN",
      "ETIMEDOUT",
      "EHOSTUNREACH",
      "3D000",
    ].includes(code) || /^(08|28)[0-9A-Z]{3}$/.test(code)
  );
}
