/**
 * What every model write checks before it reaches the store: the whole
 * record against the schema, read-only properties unchanged; and the stored
 * form it is written in, so every store holds the same strings.
 */
import { ValidationError, type ValidationIssue } from "../errors/index.js";
import { escapePointer } from "../errors/json-pointer.js";
import { normalDateTime } from "./date-time.js";
import type { DataRecord } from "./instantiate.js";
import type { AnyInstance } from "./model-instance.js";
import type { BoundModel } from "./model.js";
import { validationIssues } from "./validation.js";

type AnyModel = BoundModel<AnyInstance, object>;

/**
 * Throws a ValidationError listing every schema issue of `record`; with
 * `ignoreMissingId`, a missing id is not one (the store will assign it).
 */
export function assertValid(model: AnyModel, record: DataRecord, ignoreMissingId: boolean): void {
  let issues = validationIssues(model.definition.validate, record);
  if (ignoreMissingId) {
    const idPointer = `/${escapePointer(model.primaryKey)}`;
    issues = issues.filter(
      (issue) => !(issue.keyword === "required" && issue.pointer === idPointer),
    );
  }
  if (issues.length > 0) throw invalidRecord(model, record, issues);
}

/** Throws MODEL_READONLY if `record` changes the id or a read-only property of `existing`. */
export function assertReadonlyKept(
  model: AnyModel,
  record: DataRecord,
  existing: DataRecord,
): void {
  const issues: ValidationIssue[] = [];
  for (const property of [model.primaryKey, ...(model.definition.readonlyProperties ?? [])]) {
    if (!model.sameValue(property, record[property], existing[property])) {
      issues.push({
        pointer: `/${escapePointer(property)}`,
        message: `is read-only and cannot change after create`,
        keyword: "readonly",
      });
    }
  }
  if (issues.length > 0) throw invalidRecord(model, existing, issues, "MODEL_READONLY");
}

/** Puts a validated record in stored form (mutates it, a private copy): date-times normalised. */
export function toStoredForm(model: AnyModel, record: DataRecord): DataRecord {
  for (const [property, type] of Object.entries(model.definition.querySchema.fields)) {
    if (type === "date-time" && typeof record[property] === "string") {
      record[property] = normalDateTime(record[property]);
    }
  }
  return record;
}

/** A ValidationError naming the model and record, then each issue at its pointer. */
function invalidRecord(
  model: AnyModel,
  record: DataRecord,
  issues: readonly ValidationIssue[],
  code?: string,
): ValidationError {
  const id = record[model.primaryKey];
  const what =
    typeof id === "string" || typeof id === "number"
      ? `${model.name} ${String(id)}`
      : `new ${model.name}`;
  const list = issues.map((issue) => `${issue.pointer || "/"} ${issue.message}`).join("; ");
  return new ValidationError(issues, `${what} is invalid: ${list}`, code);
}
