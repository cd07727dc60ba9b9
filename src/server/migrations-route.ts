/**
 * `GET /migrations.json`: the database's migration status (what `perstore
 * migrate status --json` reports: applied, pending, drift), for the roles the
 * access config lists as `privileged` only. The server does not compute it:
 * whoever started it with the project's migrations (`perstore studio`,
 * `perstore serve`) hands in `status`; a server without one answers 404, to
 * privileged roles only (others are refused first, as if it were served).
 * `HEAD` answers whether the caller may read it without computing it (the
 * studio asks that before offering the screen).
 */
import { AccessError } from "../errors/index.js";
import type { AccessConfig, Grant } from "./access.js";
import { HttpError } from "./http-error.js";

/** The migration status, as JSON-ready data (the CLI's `migrate status` report). */
export type MigrationStatusSource = () => Promise<unknown>;

export async function migrationsResponse(
  request: Request,
  authorize: (request: Request) => Grant | Promise<Grant>,
  access: AccessConfig,
  status: MigrationStatusSource | undefined,
): Promise<Response> {
  // Authorized first, as if served: a 404 to anyone would tell who may not read it whether it is set up.
  const grant = await authorize(request);
  if (!(access.privileged ?? []).includes(grant.role))
    throw new AccessError(
      `role ${grant.role} may not read the migration status (server.access.privileged)`,
      "ACCESS_PRIVILEGED",
    );
  if (status === undefined)
    throw new HttpError(
      404,
      "HTTP_NOT_FOUND",
      "this server does not know the project's migrations (perstore studio and perstore serve in a project do)",
    );
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "cache-control": "no-store",
  };
  if (request.method === "HEAD") return new Response(null, { headers });
  const started = performance.now();
  const report = await status();
  headers["server-timing"] = `migrations;dur=${(performance.now() - started).toFixed(1)}`;
  return new Response(JSON.stringify(report), { headers });
}
