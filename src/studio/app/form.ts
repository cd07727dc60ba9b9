/**
 * A record as a form generated from its JSON Schema: enums as selects, dates
 * as date inputs, numbers as number inputs, booleans as yes/no, nested objects
 * and arrays as JSON fields; read-only properties disabled. Validation errors
 * appear beside the field their JSON pointer names.
 */
import { fill, h } from "./dom.js";
import type { ModelInfo, PropertyInfo } from "./models.js";

/** A field whose text is not a value (bad JSON, not a number); names the field. */
export class FieldError extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
  }
}

export interface RecordForm {
  readonly element: HTMLElement;
  /** The record the fields say, over `base` (properties without a field are kept). */
  read(): Record<string, unknown>;
  write(record: Record<string, unknown>): void;
  /** Shows each error beside its field; returns those that name no field. */
  showErrors(errors: readonly { pointer: string; message: string }[]): number;
  clearErrors(): void;
}

interface Field {
  readonly property: PropertyInfo;
  readonly input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  readonly error: HTMLElement;
  readonly row: HTMLElement;
}

let formCount = 0;

/** `lockedKey`: the primary key cannot change (an existing record). */
export function recordForm(model: ModelInfo, editable: boolean, lockedKey: boolean): RecordForm {
  const prefix = `f${++formCount}`;
  let base: Record<string, unknown> = {};
  const fields: Field[] = model.properties.map((property, i) => {
    const id = `${prefix}-${i}`;
    const input = inputFor(property, id);
    const readOnly =
      !editable || property.schema.readOnly === true || (lockedKey && property.name === model.key);
    input.disabled = readOnly;
    const error = h("span", { class: "field-error", id: `${id}-error` });
    input.setAttribute("aria-describedby", `${id}-error`);
    const row = h(
      "div",
      { class: "field", "data-property": property.name },
      h(
        "label",
        { for: id },
        property.name,
        property.required ? h("span", { class: "required", title: "required" }, " *") : null,
      ),
      input,
      h("span", { class: "type" }, property.type),
      error,
    );
    return { property, input, error, row };
  });
  const byName = new Map(fields.map((field) => [field.property.name, field]));

  return {
    element: h(
      "div",
      { class: "record-form" },
      fields.map((field) => field.row),
    ),
    read() {
      const record: Record<string, unknown> = { ...base };
      for (const field of fields) {
        const value = valueOf(field);
        if (value === undefined) delete record[field.property.name];
        else record[field.property.name] = value;
      }
      return record;
    },
    write(record) {
      base = record;
      for (const field of fields) show(field, record[field.property.name]);
    },
    showErrors(errors) {
      let unplaced = 0;
      for (const { pointer, message } of errors) {
        // The field is the pointer's first step: /dimensions/width is the dimensions field.
        const name = (pointer.split("/")[1] ?? "").replace(/~1/g, "/").replace(/~0/g, "~");
        const field = byName.get(name);
        if (!field) {
          unplaced++;
          continue;
        }
        field.input.setAttribute("aria-invalid", "true");
        field.error.append(
          h("span", {}, pointer === `/${name}` ? message : `${pointer}: ${message}`),
        );
      }
      return unplaced;
    },
    clearErrors() {
      for (const field of fields) {
        field.input.removeAttribute("aria-invalid");
        fill(field.error);
      }
    },
  };
}

type Kind = "enum" | "boolean" | "number" | "date" | "text" | "json";

function kindOf(schema: Readonly<Record<string, any>>): Kind {
  if (Array.isArray(schema.enum) && schema.enum.every((v: unknown) => typeof v === "string"))
    return "enum";
  if (schema.type === "boolean") return "boolean";
  if (schema.type === "integer" || schema.type === "number") return "number";
  if (schema.type === "string") return schema.format === "date" ? "date" : "text";
  return "json";
}

function inputFor(property: PropertyInfo, id: string): Field["input"] {
  const kind = kindOf(property.schema);
  const common = { id, name: property.name, "data-kind": kind };
  if (kind === "enum" || kind === "boolean") {
    const options = kind === "enum" ? (property.schema.enum as string[]) : ["true", "false"];
    return h(
      "select",
      common,
      h("option", { value: "" }, "—"),
      options.map((option) => h("option", { value: option }, option)),
    );
  }
  if (kind === "json") return h("textarea", { ...common, rows: 2, spellcheck: "false" });
  return h("input", {
    ...common,
    type: kind === "number" ? "number" : kind === "date" ? "date" : "text",
    ...(kind === "number" ? { step: property.schema.type === "integer" ? "1" : "any" } : {}),
    autocomplete: "off",
  });
}

function show(field: Field, value: unknown): void {
  const kind = field.input.dataset.kind as Kind;
  if (value === undefined) field.input.value = "";
  else if (kind === "json") field.input.value = JSON.stringify(value);
  else field.input.value = String(value);
}

/** The field's value; undefined when empty (the property is left out). */
function valueOf(field: Field): unknown {
  const text = field.input.value;
  if (text.trim() === "") return undefined;
  switch (field.input.dataset.kind as Kind) {
    case "boolean":
      return text === "true";
    case "number": {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new FieldError(field.property.name, "not a number");
      return number;
    }
    case "json":
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new FieldError(field.property.name, `not JSON (${(error as Error).message})`);
      }
    default:
      return text;
  }
}
