/**
 * The database's migration status (`#/migrations`): what `perstore migrate
 * status` reports, from the server's /migrations.json, which only the
 * config's privileged roles may read (the link to this screen is shown to
 * them only; anyone else reaching it reads the server's refusal).
 */
import { ApiError, type MigrationStatus } from "./api.js";
import type { ScreenContext } from "./context.js";
import { fill, h } from "./dom.js";

export async function migrationsScreen(context: ScreenContext, main: HTMLElement): Promise<void> {
  fill(main, h("h1", {}, "Migrations"), h("p", { class: "muted" }, "Reading the database…"));
  let report: MigrationStatus;
  try {
    report = await context.api.migrations();
  } catch (error) {
    if (!context.current()) return;
    const message =
      error instanceof ApiError
        ? error.status === 404
          ? "This server does not report migrations (perstore studio in a project over its database does)."
          : `${error.code}: ${error.message}`
        : String(error);
    return void fill(
      main,
      h("h1", {}, "Migrations"),
      h("p", { class: "error", role: "alert" }, message),
    );
  }
  if (!context.current()) return;
  const pending = report.pending.length;
  const summary = report.upToDate
    ? "Up to date: every migration is applied and the schemas match the last one."
    : [
        pending > 0 ? `${pending} pending` : "",
        report.schemaChanges.length > 0 ? "schemas changed since the last migration" : "",
        report.problems.length > 0
          ? `${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}`
          : "",
      ]
        .filter(Boolean)
        .join(" · ");
  fill(
    main,
    h("h1", {}, "Migrations"),
    report.database
      ? h(
          "p",
          { class: "database" },
          `Database: ${report.database.url} (${report.database.kind}, from ${report.database.source})`,
        )
      : null,
    h("p", { class: report.upToDate ? "migration-summary ok" : "migration-summary" }, summary),
    report.problems.length > 0
      ? h(
          "ul",
          { class: "migration-problems", role: "alert" },
          report.problems.map((problem) =>
            h("li", { class: "error" }, `${problem.kind}: ${problem.message}`),
          ),
        )
      : null,
    report.migrations.length === 0
      ? h("p", { class: "empty" }, "No migrations yet.")
      : h(
          "table",
          { class: "migrations" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Migration"),
              h("th", { scope: "col" }, "Name"),
              h("th", { scope: "col" }, "State"),
              h("th", { scope: "col" }, "Applied"),
            ),
          ),
          h(
            "tbody",
            {},
            report.migrations.map((entry) =>
              h(
                "tr",
                { "data-state": entry.state },
                h("th", { scope: "row" }, entry.id),
                h("td", {}, entry.name),
                h("td", { class: `state ${entry.state}` }, entry.state),
                h("td", {}, entry.appliedAt ? new Date(entry.appliedAt).toLocaleString() : ""),
              ),
            ),
          ),
        ),
    report.schemaChanges.length > 0
      ? h(
          "section",
          { class: "schema-changes" },
          h("h2", {}, "Schema changes not in a migration yet"),
          h("p", { class: "muted" }, "perstore migrate create <name> would write:"),
          h(
            "ul",
            {},
            report.schemaChanges.map((change) => h("li", {}, h("code", {}, change))),
          ),
        )
      : null,
  );
}
