/**
 * The table's query plan, folded away: opened, it asks the server how the
 * store would answer the RQL bar's query (the page shown, through the
 * signed-in role's facet) and shows it with the time the request took and
 * the server's own (Server-Timing). Memory store: the index used, the terms
 * it narrows by, the residual filter and the candidates; SQL store: the
 * statement (placeholders, never values) and PostgreSQL's plan as a tree.
 */
import { ApiError, type Explained, type QueryPlan } from "./api.js";
import { fill, h } from "./dom.js";

/** A `<details>` that explains `rql` on its first opening (and again on each reopening). */
export function planView(explain: () => Promise<Explained>): HTMLElement {
  const body = h("div", { class: "plan-body", "aria-live": "polite" });
  const details = h("details", { class: "plan" }, h("summary", {}, "Index plan (explain)"), body);
  details.addEventListener("toggle", () => {
    if (!details.open) return;
    fill(body, h("p", { class: "muted" }, "Explaining…"));
    explain().then(
      (explained) => fill(body, describe(explained)),
      (error: unknown) =>
        fill(
          body,
          h(
            "p",
            { class: "error", role: "alert" },
            error instanceof ApiError ? `${error.code}: ${error.message}` : String(error),
          ),
        ),
    );
  });
  return details;
}

function describe({ plan, requestMs, serverMs }: Explained): (Node | string)[] {
  const timing = h(
    "p",
    { class: "plan-time" },
    `Explained in ${requestMs} ms`,
    serverMs === undefined ? "" : ` (server ${serverMs} ms)`,
  );
  if (!plan.available)
    return [
      h("p", { class: "plan-store" }, `Not available: ${plan.reason ?? "no reason given"}`),
      timing,
    ];
  return plan.store === "sql" ? [...sqlPlan(plan), timing] : [...memoryPlan(plan), timing];
}

function memoryPlan(plan: QueryPlan): (Node | string)[] {
  const candidates =
    plan.candidates === null || plan.candidates === undefined
      ? "withheld (the role's facet filters records)"
      : `${plan.candidates} of ${plan.records ?? "?"} records`;
  return [
    h(
      "dl",
      { class: "plan-facts" },
      h("dt", {}, "Store"),
      h("dd", { "data-fact": "store" }, "memory"),
      h("dt", {}, "Index"),
      h("dd", { "data-fact": "index" }, indexText(plan.index)),
      h("dt", {}, "Candidates"),
      h("dd", { "data-fact": "candidates" }, candidates),
      h("dt", {}, "Narrowed by an index"),
      h("dd", { "data-fact": "indexed" }, terms(plan.indexed)),
      h("dt", {}, "Residual filter"),
      h("dd", { "data-fact": "residual" }, terms(plan.residual)),
    ),
  ];
}

function terms(list: readonly string[] | undefined): (Node | string)[] | string {
  if (!list || list.length === 0) return "none";
  return list.map((term) => h("code", { class: "term" }, term));
}

/** One line per step of a memory index plan. */
function indexText(step: unknown): string {
  const plan = (step ?? { kind: "scan" }) as { kind?: string; [key: string]: unknown };
  switch (plan.kind) {
    case undefined:
    case "scan":
      return "none: every record is a candidate (full scan)";
    case "empty":
      return "none needed: no record can match";
    case "hidden":
      return "an index on a hidden property";
    case "lookup":
      return `hash lookup on ${plan.field} (${(plan.values as unknown[]).length} value${(plan.values as unknown[]).length === 1 ? "" : "s"})`;
    case "range":
      return `ordered range on ${plan.field}`;
    case "prefix":
      return `ordered prefix scan on ${plan.field}`;
    case "compound":
      return `compound lookup on (${(plan.fields as string[]).join(", ")})`;
    case "intersect":
    case "union":
      return `${plan.kind === "intersect" ? "both of" : "any of"}: ${(plan.plans as unknown[]).map(indexText).join("; ")}`;
    default:
      return String(plan.kind);
  }
}

function sqlPlan(plan: QueryPlan): (Node | string)[] {
  return [
    h(
      "dl",
      { class: "plan-facts" },
      h("dt", {}, "Store"),
      h("dd", { "data-fact": "store" }, "SQL"),
      h("dt", {}, "Parameters"),
      h("dd", { "data-fact": "parameters" }, String(plan.parameterCount ?? 0)),
    ),
    h("pre", { class: "plan-sql", "aria-label": "SQL statement" }, plan.statement ?? ""),
    h(
      "pre",
      { class: "plan-tree", "aria-label": "PostgreSQL plan" },
      treeLines((plan.plan as { Plan?: unknown } | undefined)?.Plan, 0).join("\n"),
    ),
  ];
}

/** PostgreSQL's JSON plan as indented lines: node, relation or index, conditions. */
function treeLines(node: unknown, depth: number): string[] {
  if (node === null || typeof node !== "object") return [];
  const step = node as Record<string, unknown>;
  const on = [
    step["Relation Name"] ? ` on ${String(step["Relation Name"])}` : "",
    step["Index Name"] ? ` using ${String(step["Index Name"])}` : "",
  ].join("");
  const estimate =
    typeof step["Plan Rows"] === "number"
      ? `  (rows≈${step["Plan Rows"]}, cost ${step["Total Cost"]})`
      : "";
  const indent = "  ".repeat(depth);
  const lines = [
    `${indent}${depth > 0 ? "→ " : ""}${String(step["Node Type"] ?? "?")}${on}${estimate}`,
  ];
  for (const key of [
    "Index Cond",
    "Recheck Cond",
    "Filter",
    "Sort Key",
    "Join Filter",
    "Hash Cond",
  ]) {
    const value = step[key];
    if (value !== undefined)
      lines.push(`${indent}    ${key}: ${Array.isArray(value) ? value.join(", ") : String(value)}`);
  }
  for (const child of (step.Plans as unknown[] | undefined) ?? [])
    lines.push(...treeLines(child, depth + 1));
  return lines;
}
