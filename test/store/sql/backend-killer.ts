/**
 * Killing a store's PostgreSQL connections from another session, as an
 * administrator (or a failing network) would: `pg_terminate_backend` on every
 * backend whose application_name is the store's. Tests open the store's
 * database with `serverUrl(name)` so its connections carry that name, and a
 * `BackendKiller` on a separate connection of its own.
 */
import pg from "pg";

/** The server URL (DATABASE_URL) with `application_name` set, or undefined without a server. */
export function serverUrl(applicationName: string): string | undefined {
  const url = process.env.DATABASE_URL;
  if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) return undefined;
  const parsed = new URL(url);
  parsed.searchParams.set("application_name", applicationName);
  return parsed.toString();
}

/** A unique application name for this process and test. */
export function applicationName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export class BackendKiller {
  readonly #client: pg.Client;
  readonly #name: string;
  /** A second session that can hold a lock the store's statements then wait on. */
  readonly #locker: pg.Client;

  private constructor(url: string, name: string) {
    this.#client = new pg.Client({ connectionString: url, application_name: `${name}_killer` });
    this.#locker = new pg.Client({ connectionString: url, application_name: `${name}_locker` });
    this.#name = name;
  }

  /** Connects the killer's own sessions (never named `name`, so they never kill themselves). */
  static async open(url: string, name: string): Promise<BackendKiller> {
    const killer = new BackendKiller(url, name);
    await killer.#client.connect();
    await killer.#locker.connect();
    return killer;
  }

  /** Terminates every backend of the store and waits until they have exited; returns how many were terminated. */
  async kill(): Promise<number> {
    const { rows } = await this.#client.query<{ pid: number }>(
      // Materialized first, so pg_terminate_backend only ever sees the store's own backends.
      "with victims as materialized (select pid from pg_stat_activity where application_name = $1) select pid from victims where pg_terminate_backend(pid)",
      [this.#name],
    );
    await this.waitGone(rows.map((r) => r.pid));
    return rows.length;
  }

  /** Waits until these backends have exited (a terminated backend takes a moment); new ones the store opens meanwhile do not count. */
  async waitGone(pids: readonly number[]): Promise<void> {
    for (let tries = 0; tries < 2000; tries++) {
      const { rows } = await this.#client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where pid = any($1::int[])",
        [pids],
      );
      if (rows[0]!.n === 0) return;
      await pause();
    }
    throw new Error(`the backends ${pids.join(", ")} of ${this.#name} did not exit`);
  }

  /** Takes an exclusive lock on `table` in the locker's open transaction: the store's statements on it wait. */
  async lock(qualifiedTable: string): Promise<void> {
    await this.#locker.query("begin");
    await this.#locker.query(`lock table ${qualifiedTable} in access exclusive mode`);
  }

  async unlock(): Promise<void> {
    await this.#locker.query("rollback");
  }

  /** Waits until one of the store's backends is waiting for a lock, then terminates the store's backends. */
  async killWhenBlocked(): Promise<number> {
    for (let tries = 0; tries < 2000; tries++) {
      const { rows } = await this.#client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
        [this.#name],
      );
      if (rows[0]!.n > 0) return this.kill();
      await pause();
    }
    throw new Error(`no backend of ${this.#name} ever waited for the lock`);
  }

  async close(): Promise<void> {
    await this.#locker.end();
    await this.#client.end();
  }
}

/** `"schema"."table"`, for the lock statement (names made by the tests themselves). */
export function qualified(schema: string, table: string): string {
  return `"${schema.replace(/"/g, '""')}"."${table.replace(/"/g, '""')}"`;
}

/** A short wait between polls (bounded loops above keep a test from hanging). */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
