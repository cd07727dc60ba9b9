/**
 * The database drivers are optional peer dependencies of the runtime package:
 * `pg` for postgres:// URLs, `@electric-sql/pglite` for pglite: and memory:.
 * Each is imported only when a URL asks for it, so an app that never opens
 * that kind of database (or an edge bundle) needs neither.
 */
import { StoreError } from "../../errors/index.js";
import { redactDatabaseUrl } from "./redact-database-url.js";

/** Imports `name`, or throws STORE_DRIVER_MISSING saying what to install for which URL. */
export async function loadDriver<T>(name: string, url: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
      String((cause as Error).message).includes(`'${name}'`);
    if (!missing) throw cause;
    throw new StoreError(
      "STORE_DRIVER_MISSING",
      `the database URL "${redactDatabaseUrl(url)}" needs the ${name} package: npm install ${name}`,
      { cause },
    );
  }
}
