/**
 * A record as a form generated from its JSON Schema (form-fields.ts): enums
 * and booleans as selects, numbers as number inputs, dates as date and
 * datetime-local inputs, nested objects as fieldsets, arrays as add/remove
 * lists; read-only properties (and an existing record's key) disabled.
 * Validation errors appear beside the field their JSON pointer names, however
 * deep. Properties without a field (not in the role's schema) are kept.
 */
import { fieldFor, FieldError, type Field } from "./form-fields.js";
import { h } from "./dom.js";
import type { ModelInfo } from "./models.js";

export { FieldError };

export interface RecordForm {
  readonly element: HTMLElement;
  /** The record the fields say, over the record last written. Throws FieldError. */
  read(): Record<string, unknown>;
  write(record: Record<string, unknown>): void;
  /** Shows each error beside its field; returns how many name no field. */
  showErrors(errors: readonly { pointer: string; message: string }[]): number;
  clearErrors(): void;
}

/** `lockedKey`: the primary key cannot change (an existing record). */
export function recordForm(model: ModelInfo, editable: boolean, lockedKey: boolean): RecordForm {
  let base: Record<string, unknown> = {};
  const fields = new Map<string, Field>();
  for (const property of model.properties) {
    const field = fieldFor(property.schema, {
      label: property.name,
      pointer: `/${property.name.replace(/~/g, "~0").replace(/\//g, "~1")}`,
      required: property.required,
      disabled: !editable || (lockedKey && property.name === model.key),
    });
    field.element.dataset.property = property.name;
    fields.set(property.name, field);
  }

  const element = h(
    "div",
    { class: "record-form" },
    [...fields.values()].map((field) => field.element),
  );
  return {
    element,
    read() {
      const record: Record<string, unknown> = { ...base };
      // Every field is read, so each bad one is marked; the first problem is thrown.
      let problem: unknown;
      for (const [name, field] of fields) {
        try {
          const value = field.read();
          if (value === undefined) delete record[name];
          else record[name] = value;
        } catch (error) {
          problem ??= error;
        }
      }
      if (problem !== undefined) throw problem;
      return record;
    },
    write(record) {
      base = record;
      for (const [name, field] of fields)
        field.write(Object.hasOwn(record, name) ? record[name] : undefined);
    },
    showErrors(errors) {
      let unplaced = 0;
      for (const { pointer, message } of errors) {
        const [name, ...rest] = pointer.split("/").slice(1);
        const field =
          name === undefined ? undefined : fields.get(name.replace(/~1/g, "/").replace(/~0/g, "~"));
        if (field) field.place(rest, pointer, message);
        else unplaced++;
      }
      // The keyboard goes where the first error is (when the form is shown).
      element
        .querySelector<HTMLElement>(
          '[aria-invalid="true"]:is(input, select, textarea), fieldset[aria-invalid="true"] :is(input, select, textarea)',
        )
        ?.focus();
      return unplaced;
    },
    clearErrors() {
      for (const field of fields.values()) field.clear();
    },
  };
}
