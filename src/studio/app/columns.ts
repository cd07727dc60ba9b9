/** Hidden columns of a model's table, remembered in the browser (localStorage) per model. */
import { h } from "./dom.js";

const key = (model: string) => `perstore-studio-hidden:${model}`;

export function hiddenColumns(model: string): Set<string> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(key(model)) ?? "[]");
    return new Set(Array.isArray(saved) ? saved.filter((c) => typeof c === "string") : []);
  } catch {
    return new Set();
  }
}

/**
 * A "Columns" menu of checkboxes; a change hides or shows the cells marked
 * `data-col` inside `table` at once (no request) and is remembered.
 */
export function columnsMenu(
  model: string,
  columns: readonly string[],
  hidden: Set<string>,
  table: HTMLElement,
): HTMLElement {
  const toggle = (column: string, shown: boolean) => {
    if (shown) hidden.delete(column);
    else hidden.add(column);
    localStorage.setItem(key(model), JSON.stringify([...hidden]));
    for (const cell of table.querySelectorAll<HTMLElement>(`[data-col="${CSS.escape(column)}"]`))
      cell.hidden = !shown;
  };
  return h(
    "details",
    { class: "columns" },
    h("summary", {}, "Columns"),
    h(
      "fieldset",
      {},
      h("legend", {}, "Shown columns"),
      columns.map((column) =>
        h(
          "label",
          {},
          h("input", {
            type: "checkbox",
            name: column,
            checked: !hidden.has(column),
            onchange: (event: Event) => toggle(column, (event.target as HTMLInputElement).checked),
          }),
          ` ${column}`,
        ),
      ),
    ),
  );
}
