/**
 * A model as a table: one page per request (`Range`), sorted by clicking a
 * column header (`sort(+name)` / `sort(-name)` added to the query), filtered
 * by the RQL bar, whose parse errors are the server's, shown at their position.
 */
import { ApiError, type Page } from "./api.js";
import { findModel, type ScreenContext } from "./context.js";
import { columnWidths, columnsMenu, hiddenColumns, resizeHandle, sizeCell } from "./columns.js";
import { attachCompletion } from "./completion.js";
import { fill, h } from "./dom.js";
import { jsonQueryOf } from "./json-query.js";
import { planView } from "./plan-view.js";
import { createHash, recordHash, tableHash } from "./route.js";

/** Records per page: a page never fetches more. */
export const PAGE_SIZE = 20;

/**
 * Totals counted for a model and filter (the sort does not change them),
 * with the live feed's revision they were counted at: while the feed hears
 * no change, the next page asks for no count (`Prefer: count=none`), which
 * spares the server counting every match on every page. Without an open
 * feed every page counts. A change made between the count and the feed's
 * start goes unseen, as it does for the records shown.
 */
const totals = new Map<string, { readonly total: number; readonly revision: string }>();

function rememberTotal(key: string, total: number, revision: string | undefined): void {
  if (revision === undefined) return;
  if (totals.size >= 100) totals.clear();
  totals.set(key, { total, revision });
}

export interface TableState {
  readonly model: string;
  readonly query: string;
  readonly sort: string;
  readonly start: number;
}

export async function tableScreen(
  context: ScreenContext,
  main: HTMLElement,
  state: TableState,
): Promise<void> {
  const model = findModel(context, state.model);
  if (!model)
    return void fill(
      main,
      h("h1", {}, state.model),
      h("p", { class: "error", role: "alert" }, "This role does not reach this model."),
    );
  const columns = [
    model.key,
    ...model.properties.map((p) => p.name).filter((name) => name !== model.key),
  ];
  const go = (change: Partial<TableState>) =>
    context.navigate(tableHash(model.name, { ...state, ...change }));

  const input = h("input", {
    type: "search",
    name: "q",
    class: "rql",
    "aria-label": "RQL query",
    placeholder: "e.g. year=gt=2000&status=published",
    value: state.query,
    autocomplete: "off",
    spellcheck: "false",
  });
  const problem = h("div", { class: "query-error", role: "alert" });
  const status = h("p", { class: "page-status", "aria-live": "polite" }, "Loading…");
  const body = h("tbody", {});
  const hidden = hiddenColumns(model.name);
  const widths = columnWidths(model.name);
  hidden.delete(model.key);
  const table: HTMLTableElement = h(
    "table",
    { class: "records" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        columns.map((column) =>
          headerCell(column, state.sort, (sort) => go({ sort, start: 0 }), hidden, [
            widths[column],
            resizeHandle(model.name, column, widths, (): HTMLElement => table),
          ]),
        ),
      ),
    ),
    body,
  );
  const live = h("span", { class: "live", "data-state": "off", "aria-live": "polite" });
  const previous = h(
    "button",
    {
      type: "button",
      class: "previous",
      disabled: true,
      onclick: () => go({ start: Math.max(0, state.start - PAGE_SIZE) }),
    },
    "← Previous",
  );
  const next = h(
    "button",
    {
      type: "button",
      class: "next",
      disabled: true,
      onclick: () => go({ start: state.start + PAGE_SIZE }),
    },
    "Next →",
  );

  fill(
    main,
    h(
      "div",
      { class: "title" },
      h("h1", {}, model.name),
      live,
      columnsMenu(model.name, columns.slice(1), hidden, table),
      model.canCreate
        ? h("a", { class: "button new-record", href: createHash(model.name) }, "New record")
        : null,
    ),
    h(
      "form",
      {
        class: "query",
        role: "search",
        onsubmit: (event: Event) => (
          event.preventDefault(),
          go({ query: input.value.trim(), start: 0 })
        ),
      },
      h("div", { class: "rql-box" }, input, attachCompletion(input, columns)),
      h("button", { type: "submit" }, "Run"),
    ),
    problem,
    state.query ? jsonQueryView(state.query) : null,
    // The page's query plan and times, asked for when opened (`rql` is set by then).
    planView(() => context.api.explain(model.name, rql, state.start, PAGE_SIZE)),
    h("div", { class: "scroll" }, table),
    h("nav", { class: "pager", "aria-label": "Pages" }, previous, status, next),
  );

  const rql = [state.query, state.sort ? `sort(${state.sort})` : ""].filter(Boolean).join("&");
  const totalKey = `${model.name}\u0000${state.query}`;
  /** The total the last load counted (remembered once the live feed runs). */
  let counted: number | undefined;
  /** Fetches the page and draws it; false when the query failed (the error is shown). */
  const load = async (): Promise<boolean> => {
    let page: Page;
    const started = performance.now();
    const revision = context.live.revision(model.name, state.query);
    const known = totals.get(totalKey);
    const reuse = known !== undefined && revision !== undefined && known.revision === revision;
    try {
      page = await context.api.page(model.name, rql, state.start, PAGE_SIZE, { count: !reuse });
    } catch (error) {
      if (!context.current()) return false;
      fill(status, "");
      // Past the end (records were removed): back to the first page.
      if (error instanceof ApiError && error.status === 416 && state.start > 0) {
        go({ start: 0 });
        return false;
      }
      fill(problem, queryProblem(error, rql));
      return false;
    }
    if (!context.current()) return false;
    const last = page.start + page.records.length;
    // Not counted (more records follow the page): the remembered total, at least past this page.
    const total = page.total ?? Math.max(known?.total ?? 0, last + 1);
    if (!reuse) {
      counted = total;
      rememberTotal(totalKey, total, revision);
    }
    fill(problem);
    fill(
      body,
      page.records.map((record) =>
        h(
          "tr",
          {},
          columns.map((column, i) => {
            const element =
              i === 0
                ? h(
                    "th",
                    { scope: "row", "data-col": column },
                    h(
                      "a",
                      { href: recordHash(model.name, record[column]) },
                      String(record[column]),
                    ),
                  )
                : h("td", { "data-col": column, hidden: hidden.has(column) }, cell(record[column]));
            sizeCell(element, widths[column]);
            return element;
          }),
        ),
      ),
    );
    const took = `${Math.round(performance.now() - started)} ms`;
    fill(
      status,
      total === 0 ? "No records" : `${page.start + 1}–${last} of ${total}`,
      h(
        "span",
        { class: "took", title: "time to answer (the request, and the server's query)" },
        ` · ${took}`,
        page.serverMs === undefined ? "" : ` (server ${page.serverMs} ms)`,
      ),
    );
    previous.disabled = page.start === 0;
    next.disabled = last >= total;
    return true;
  };
  if (await load()) {
    listen(context, model.name, state.query, live, load);
    // The first page counted before the feed was open: its total holds from the feed's start.
    if (counted !== undefined)
      rememberTotal(totalKey, counted, context.live.revision(model.name, state.query));
  }
}

/** Live changes: any change to the query's records reloads the page shown (one request, however many events). */
function listen(
  context: ScreenContext,
  model: string,
  query: string,
  live: HTMLElement,
  reload: () => Promise<unknown>,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  context.onLeave(() => clearTimeout(timer));
  context.live.follow(
    model,
    query,
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 100);
    },
    (state) => {
      live.dataset.state = state.on ? "on" : "off";
      live.title = state.on ? "changes appear as they happen" : (state.why ?? "");
      fill(live, state.on ? "● live" : "");
    },
  );
}

/** The filter as a JSON query object, folded away. */
function jsonQueryView(query: string): HTMLElement | null {
  const json = jsonQueryOf(query);
  if (json === undefined) return null;
  return h(
    "details",
    { class: "as-json" },
    h("summary", {}, "As a JSON query object"),
    h("pre", {}, typeof json === "string" ? json : JSON.stringify(json, null, 2)),
  );
}

/** A sortable column header: a button, with `aria-sort` saying the current order. */
function headerCell(
  column: string,
  sort: string,
  sortBy: (sort: string) => void,
  hidden: ReadonlySet<string>,
  [width, handle]: [number | undefined, HTMLElement],
): HTMLElement {
  const direction =
    sort === `+${column}` ? "ascending" : sort === `-${column}` ? "descending" : "none";
  const nextSort = direction === "ascending" ? `-${column}` : `+${column}`;
  const arrow = direction === "ascending" ? " ▲" : direction === "descending" ? " ▼" : "";
  const header = h(
    "th",
    { scope: "col", "aria-sort": direction, "data-col": column, hidden: hidden.has(column) },
    h(
      "button",
      { type: "button", class: "sort", "data-column": column, onclick: () => sortBy(nextSort) },
      column,
      arrow,
    ),
    handle,
  );
  sizeCell(header, width);
  return header;
}

/** A value as a short cell text: strings as they are, the rest as JSON. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The server's error for a query, with a caret under the position it names. */
function queryProblem(error: unknown, rql: string): (Node | string)[] {
  const message = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  const at = /at position (\d+)/.exec(message);
  if (!at) return [h("p", {}, message)];
  const position = Math.min(Number(at[1]), rql.length);
  return [
    h("p", {}, message),
    h("pre", { class: "query-where" }, `${rql}\n${" ".repeat(position)}^`),
  ];
}
