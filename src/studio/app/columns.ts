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
    {
      class: "columns",
      // Escape closes the menu from any of its checkboxes, back on its summary.
      onkeydown: (event: KeyboardEvent) => {
        const menu = event.currentTarget as HTMLDetailsElement;
        if (event.key !== "Escape" || !menu.open) return;
        event.preventDefault();
        menu.open = false;
        menu.querySelector("summary")?.focus();
      },
    },
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

const widthKey = (model: string) => `perstore-studio-widths:${model}`;

/** Column widths in pixels, remembered per model; a column without one sizes itself. */
export function columnWidths(model: string): Record<string, number> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(widthKey(model)) ?? "{}");
    if (saved === null || typeof saved !== "object" || Array.isArray(saved)) return {};
    return Object.fromEntries(
      Object.entries(saved).filter(([, w]) => typeof w === "number" && w >= MIN_WIDTH),
    );
  } catch {
    return {};
  }
}

const MIN_WIDTH = 40;
const KEY_STEP = 20;

/** Gives a cell its column's remembered width (longer text ends in an ellipsis). */
export function sizeCell(cell: HTMLElement, width: number | undefined): void {
  if (width === undefined) return;
  cell.style.width = cell.style.maxWidth = cell.style.minWidth = `${width}px`;
  cell.style.overflow = "hidden";
  cell.style.textOverflow = "ellipsis";
}

/**
 * A column's resize handle: dragged with the pointer, or focused and moved
 * with the left and right arrows; the width is remembered.
 */
export function resizeHandle(
  model: string,
  column: string,
  widths: Record<string, number>,
  table: () => HTMLElement,
): HTMLElement {
  const handle = h("span", {
    class: "resize",
    role: "separator",
    "aria-orientation": "vertical",
    "aria-label": `Resize ${column}`,
    tabindex: 0,
  });
  const setWidth = (width: number) => {
    widths[column] = Math.max(MIN_WIDTH, Math.round(width));
    handle.setAttribute("aria-valuenow", String(widths[column]));
    localStorage.setItem(widthKey(model), JSON.stringify(widths));
    for (const cell of table().querySelectorAll<HTMLElement>(`[data-col="${CSS.escape(column)}"]`))
      sizeCell(cell, widths[column]);
  };
  const current = () =>
    widths[column] ?? handle.parentElement?.getBoundingClientRect().width ?? MIN_WIDTH;
  handle.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    setWidth(current() + (event.key === "ArrowRight" ? KEY_STEP : -KEY_STEP));
  });
  handle.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = current();
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => setWidth(startWidth + e.clientX - startX);
    const up = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
  });
  return handle;
}
