/**
 * The fields of the record form, one per schema: a leaf (select for an enum
 * or a boolean, number, date, datetime-local or text input, or a JSON text
 * area for what has no better control), a fieldset for a nested object, an
 * add/remove list for an array (of values, or of objects as repeated
 * fieldsets). Every field gives back exactly what it was given while the
 * user has not changed it, and places a validation error by the rest of its
 * JSON pointer.
 */
import { fill, h } from "./dom.js";
import { dateInputText, instantOfLocal, localInputText, localZoneName } from "./form-dates.js";
import { typeName } from "./models.js";

type Schema = Readonly<Record<string, any>>;

/** A field whose text is not a value (bad JSON, not a number); `property` is its JSON pointer. */
export class FieldError extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
  }
}

export interface Field {
  /** The row (a leaf) or the fieldset (an object or array). */
  readonly element: HTMLElement;
  /** The value; undefined leaves the property out. Throws FieldError. */
  read(): unknown;
  write(value: unknown): void;
  /** Shows an error whose pointer continues with `rest` below this field. */
  place(rest: readonly string[], pointer: string, message: string): void;
  clear(): void;
  /** The field's pointer changed (an array item moved). */
  moveTo(pointer: string): void;
}

export interface FieldOptions {
  readonly label: string;
  readonly pointer: string;
  readonly required: boolean;
  readonly disabled: boolean;
}

let ids = 0;

/** The field for `schema`. */
export function fieldFor(schema: Schema, options: FieldOptions): Field {
  const disabled = options.disabled || schema.readOnly === true;
  const settings = { ...options, disabled };
  const type = mainType(schema);
  if (type === "object" && isObject(schema.properties)) return objectField(schema, settings);
  if (type === "array" && listable(schema.items)) return arrayField(schema, settings);
  return leafField(schema, settings);
}

/** The JSON type a schema is about, the `null` of a nullable type aside. */
function mainType(schema: Schema): string | undefined {
  if (Array.isArray(schema.type))
    return schema.type.filter((t: unknown) => t !== "null").length === 1
      ? schema.type.find((t: unknown) => t !== "null")
      : undefined;
  if (typeof schema.type === "string") return schema.type;
  if (isObject(schema.properties)) return "object";
  return undefined;
}

/** Items a list can show one control each for: values with a type, or objects with properties. */
function listable(items: unknown): boolean {
  if (!isObject(items)) return false;
  const type = mainType(items);
  return (
    Array.isArray(items.enum) ||
    ["string", "integer", "number", "boolean"].includes(type ?? "") ||
    (type === "object" && isObject(items.properties))
  );
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const unescapePointer = (part: string) => part.replace(/~1/g, "/").replace(/~0/g, "~");
const escapePointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

/** An error's text beside its field: the message, and the rest of the pointer when it goes deeper. */
function errorText(rest: readonly string[], pointer: string, message: string): HTMLElement {
  return h("span", {}, rest.length === 0 ? message : `${pointer}: ${message}`);
}

type Kind = "enum" | "boolean" | "number" | "date" | "date-time" | "text" | "json";

function kindOf(schema: Schema): Kind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return "enum";
  const type = mainType(schema);
  if (type === "boolean") return "boolean";
  if (type === "integer" || type === "number") return "number";
  if (type === "string")
    return schema.format === "date" ? "date" : schema.format === "date-time" ? "date-time" : "text";
  return "json";
}

/** One control: label, input, type, error. */
function leafField(schema: Schema, options: FieldOptions): Field {
  const id = `field-${++ids}`;
  const kind = kindOf(schema);
  const input = controlOf(kind, schema, id);
  input.disabled = options.disabled;
  const error = h("span", { class: "field-error", id: `${id}-error` });
  input.setAttribute("aria-describedby", `${id}-error`);
  const hint = kind === "date-time" ? `date-time, ${localZoneName()}` : typeName(schema);
  const element = h(
    "div",
    { class: "field", "data-pointer": options.pointer },
    h(
      "label",
      { for: id },
      options.label,
      options.required ? h("span", { class: "required", title: "required" }, " *") : null,
    ),
    input,
    h("span", { class: "type" }, hint),
    error,
  );
  let pointer = options.pointer;
  /** What was written, and the text the control showed for it: unchanged text gives it back. */
  let original: unknown;
  let shown = "";
  const fail = (message: string): never => {
    input.setAttribute("aria-invalid", "true");
    fill(error, h("span", {}, message));
    throw new FieldError(pointer, message);
  };
  return {
    element,
    read() {
      // A number input with text that is no number reads as "": say so rather than drop it.
      if (input instanceof HTMLInputElement && input.validity.badInput)
        return fail(kind === "number" ? "not a number" : `not a ${kind}`);
      const text = input.value;
      if (text === shown) return original;
      if (text.trim() === "" && kind !== "text") return undefined;
      if (text === "") return undefined;
      switch (kind) {
        case "enum":
          return (schema.enum as unknown[])[Number(text)];
        case "boolean":
          return text === "true";
        case "number": {
          const number = Number(text);
          if (!Number.isFinite(number)) return fail("not a number");
          return number;
        }
        case "date-time":
          if (input.type !== "datetime-local") return text;
          return instantOfLocal(text) ?? fail("not a date and time");
        case "json":
          try {
            return JSON.parse(text);
          } catch (e) {
            return fail(`not JSON (${(e as Error).message})`);
          }
        default:
          return text;
      }
    },
    write(value) {
      original = value;
      showValue(kind, schema, input, value);
      shown = input.value;
    },
    place(rest, at, message) {
      input.setAttribute("aria-invalid", "true");
      error.append(errorText(rest, at, message));
    },
    clear() {
      input.removeAttribute("aria-invalid");
      fill(error);
    },
    moveTo(next) {
      pointer = next;
      element.dataset.pointer = next;
    },
  };
}

function controlOf(
  kind: Kind,
  schema: Schema,
  id: string,
): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const common = { id, "data-kind": kind };
  if (kind === "enum" || kind === "boolean") {
    const labels =
      kind === "enum" ? (schema.enum as unknown[]).map(optionLabel) : ["true", "false"];
    return h(
      "select",
      common,
      h("option", { value: "" }, "—"),
      labels.map((label, i) => h("option", { value: kind === "enum" ? String(i) : label }, label)),
    );
  }
  if (kind === "json") return h("textarea", { ...common, rows: 2, spellcheck: "false" });
  const type = { number: "number", date: "date", "date-time": "datetime-local", text: "text" }[
    kind
  ];
  return h("input", {
    ...common,
    type,
    ...(kind === "number" ? { step: mainType(schema) === "integer" ? "1" : "any" } : {}),
    autocomplete: "off",
  });
}

const optionLabel = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** Shows `value` in the control; a date the date inputs cannot show falls back to text. */
function showValue(
  kind: Kind,
  schema: Schema,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  value: unknown,
): void {
  if (value === undefined || value === null) value = "";
  if (value === "" && kind !== "date" && kind !== "date-time") {
    input.value = "";
    return;
  }
  switch (kind) {
    case "enum":
      input.value = String((schema.enum as unknown[]).indexOf(value));
      return;
    case "json":
      input.value = JSON.stringify(value);
      return;
    case "date":
    case "date-time": {
      const text =
        value === "" ? "" : kind === "date" ? dateInputText(value) : localInputText(value);
      const field = input as HTMLInputElement;
      field.type = text === undefined ? "text" : kind === "date" ? "date" : "datetime-local";
      // Milliseconds need a finer step, or the input rounds them away when edited.
      if (kind === "date-time" && text !== undefined)
        field.step = text.includes(".") ? "0.001" : "1";
      field.value = text ?? String(value);
      return;
    }
    default:
      input.value = String(value);
  }
}

/** A nested object: a fieldset of its properties' fields; properties it has no field for are kept. */
function objectField(schema: Schema, options: FieldOptions): Field {
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  const children = new Map<string, Field>();
  for (const [name, sub] of Object.entries<Schema>(schema.properties))
    children.set(
      name,
      fieldFor(isObject(sub) ? sub : {}, {
        label: name,
        pointer: `${options.pointer}/${escapePointer(name)}`,
        required: required.has(name),
        disabled: options.disabled,
      }),
    );
  const group = groupOf(
    options,
    "object",
    [...children.values()].map((c) => c.element),
  );
  let original: unknown;
  return {
    element: group.element,
    read() {
      const base = isObject(original) ? original : {};
      const out: Record<string, unknown> = { ...base };
      for (const [name, child] of children) {
        const value = child.read();
        if (value === undefined) delete out[name];
        else out[name] = value;
      }
      return Object.keys(out).length === 0 && !isObject(original) ? original : out;
    },
    write(value) {
      original = value;
      const record = isObject(value) ? value : {};
      for (const [name, child] of children)
        child.write(Object.hasOwn(record, name) ? record[name] : undefined);
    },
    place(rest, at, message) {
      const child = rest.length > 0 ? children.get(unescapePointer(rest[0]!)) : undefined;
      if (child) child.place(rest.slice(1), at, message);
      else group.place(rest, at, message);
    },
    clear() {
      group.clear();
      for (const child of children.values()) child.clear();
    },
    moveTo(pointer) {
      group.moveTo(pointer);
      for (const [name, child] of children) child.moveTo(`${pointer}/${escapePointer(name)}`);
    },
  };
}

/** A fieldset with a legend and an error of its own. */
function groupOf(options: FieldOptions, kind: "object" | "array", content: HTMLElement[]) {
  const id = `field-${++ids}`;
  const error = h("span", { class: "field-error", id: `${id}-error` });
  const element = h(
    "fieldset",
    {
      class: `field-group ${kind}`,
      "data-pointer": options.pointer,
      "aria-describedby": `${id}-error`,
    },
    h(
      "legend",
      {},
      options.label,
      options.required ? h("span", { class: "required", title: "required" }, " *") : null,
    ),
    error,
    content,
  );
  return {
    element,
    place(rest: readonly string[], at: string, message: string) {
      element.setAttribute("aria-invalid", "true");
      error.append(errorText(rest, at, message));
    },
    clear() {
      element.removeAttribute("aria-invalid");
      fill(error);
    },
    moveTo(pointer: string) {
      element.dataset.pointer = pointer;
    },
  };
}

/** An array: one field per item, each with a Remove button, and an Add button. */
function arrayField(schema: Schema, options: FieldOptions): Field {
  const itemSchema: Schema = schema.items;
  const list = h("ol", { class: "items" });
  const group = groupOf(options, "array", [list]);
  let pointer = options.pointer;
  let items: { field: Field; row: HTMLElement }[] = [];
  let original: unknown;
  let changed = false;

  const itemLabel = (i: number) => `${options.label} ${i + 1}`;
  const renumber = () =>
    items.forEach((item, i) => {
      item.field.moveTo(`${pointer}/${i}`);
      const label = item.field.element.querySelector(":scope > label, :scope > legend");
      if (label?.firstChild) label.firstChild.textContent = itemLabel(i);
      item.row
        .querySelector("button.remove-item")
        ?.setAttribute("aria-label", `Remove ${itemLabel(i)}`);
    });
  const addItem = (value: unknown): Field => {
    const i = items.length;
    const field = fieldFor(itemSchema, {
      label: itemLabel(i),
      pointer: `${pointer}/${i}`,
      required: false,
      disabled: options.disabled,
    });
    field.write(value);
    const row = h("li", {}, field.element);
    if (!options.disabled)
      row.append(
        h(
          "button",
          {
            type: "button",
            class: "remove-item",
            "aria-label": `Remove ${itemLabel(i)}`,
            onclick: () => {
              const at = items.findIndex((item) => item.row === row);
              items.splice(at, 1);
              row.remove();
              changed = true;
              renumber();
              // Focus stays in the list: the next item's control, else the Add button.
              const next = items[at] ?? items[at - 1];
              (next?.row.querySelector<HTMLElement>("input, select, textarea") ?? add)?.focus();
            },
          },
          "Remove",
        ),
      );
    items.push({ field, row });
    list.append(row);
    return field;
  };
  const add = options.disabled
    ? null
    : h(
        "button",
        {
          type: "button",
          class: "add-item",
          onclick: () => {
            changed = true;
            addItem(undefined);
            items.at(-1)!.row.querySelector<HTMLElement>("input, select, textarea")?.focus();
          },
        },
        `Add ${options.label} item`,
      );
  if (add) group.element.append(add);

  return {
    element: group.element,
    read() {
      const values = items.map((item) => item.field.read());
      if (!changed && values.every((v, i) => v === (original as unknown[] | undefined)?.[i]))
        return original;
      const kept = values.filter((v) => v !== undefined);
      return kept.length === 0 && original === undefined ? undefined : kept;
    },
    write(value) {
      original = value;
      changed = false;
      items = [];
      fill(list);
      if (Array.isArray(value)) value.forEach(addItem);
    },
    place(rest, at, message) {
      const item = rest.length > 0 && /^\d+$/.test(rest[0]!) ? items[Number(rest[0])] : undefined;
      if (item) item.field.place(rest.slice(1), at, message);
      else group.place(rest, at, message);
    },
    clear() {
      group.clear();
      for (const item of items) item.field.clear();
    },
    moveTo(next) {
      pointer = next;
      group.moveTo(next);
      renumber();
    },
  };
}
