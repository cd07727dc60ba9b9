/**
 * Completion for the RQL bar: the word before the cursor, completed from the
 * model's property names (those the role sees) and RQL's operator names. A
 * combobox by the ARIA pattern: arrows move, Tab (or Enter on a chosen
 * option) takes it, Escape closes.
 */
import { fill, h } from "./dom.js";

/** The operators that make sense in a table's filter bar (paging is the Range's). */
export const RQL_OPERATORS = [
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "between",
  "in",
  "out",
  "contains",
  "excludes",
  "starts",
  "ends",
  "match",
  "isnull",
  "notnull",
  "and",
  "or",
  "not",
  "sort",
  "select",
  "unselect",
  "search",
];

const MAX_OPTIONS = 8;
let lists = 0;

/** Makes `input` a combobox; returns its list of options, to place right after it. */
export function attachCompletion(
  input: HTMLInputElement,
  properties: readonly string[],
): HTMLElement {
  const id = `rql-options-${++lists}`;
  const list = h("ul", {
    id,
    class: "completions",
    role: "listbox",
    hidden: true,
    "aria-label": "Completions",
  });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", id);
  input.setAttribute("aria-expanded", "false");
  let options: { word: string; operator: boolean }[] = [];
  let active = -1;

  const wordBefore = () =>
    /[A-Za-z_$][\w$.]*$/.exec(
      input.value.slice(0, input.selectionStart ?? input.value.length),
    )?.[0];
  const close = () => {
    options = [];
    active = -1;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const draw = () => {
    fill(
      list,
      options.map((option, i) =>
        h(
          "li",
          {
            id: `${id}-${i}`,
            role: "option",
            "aria-selected": String(i === active),
            onmousedown: (event: Event) => (event.preventDefault(), take(i)),
          },
          option.word,
          h("span", { class: "kind" }, option.operator ? " operator" : " property"),
        ),
      ),
    );
    if (active >= 0) input.setAttribute("aria-activedescendant", `${id}-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const take = (i: number) => {
    const option = options[i];
    const word = wordBefore();
    if (!option || word === undefined) return close();
    const end = input.selectionStart ?? input.value.length;
    const insert = option.operator ? `${option.word}(` : option.word;
    input.value = input.value.slice(0, end - word.length) + insert + input.value.slice(end);
    const cursor = end - word.length + insert.length;
    input.setSelectionRange(cursor, cursor);
    close();
  };

  input.addEventListener("input", () => {
    const word = wordBefore();
    if (!word) return close();
    options = [
      ...properties.map((p) => ({ word: p, operator: false })),
      ...RQL_OPERATORS.map((o) => ({ word: o, operator: true })),
    ]
      .filter((option) => option.word.startsWith(word) && option.word !== word)
      .slice(0, MAX_OPTIONS);
    if (options.length === 0) return close();
    active = -1;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    draw();
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + options.length) % options.length;
      draw();
    } else if (event.key === "Tab" || (event.key === "Enter" && active >= 0)) {
      event.preventDefault();
      take(Math.max(active, 0));
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  return list;
}
