/**
 * Turning an ajv validator's verdict into perstore's ValidationIssues, each
 * pointing at the value it concerns (for `required` and
 * `additionalProperties`, the property itself rather than its parent).
 */
import type { ValidationIssue } from "../errors/index.js";
import { escapePointer } from "../errors/json-pointer.js";
import type { AjvErrorLike, ModelValidateFunction } from "./definition.js";

function issueOf(error: AjvErrorLike): ValidationIssue {
  const params = error.params ?? {};
  const child =
    error.keyword === "required" && typeof params.missingProperty === "string"
      ? params.missingProperty
      : error.keyword === "additionalProperties" && typeof params.additionalProperty === "string"
        ? params.additionalProperty
        : undefined;
  const pointer =
    child === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(child)}`;
  return { pointer, message: error.message ?? error.keyword, keyword: error.keyword, params };
}

/** Every issue the validator finds in `record` (empty when it is valid). */
export function validationIssues(
  validate: ModelValidateFunction,
  record: unknown,
): ValidationIssue[] {
  if (validate(record)) return [];
  const errors = validate.errors ?? [];
  if (errors.length === 0) return [{ pointer: "", message: "is invalid", keyword: "schema" }];
  return errors.map(issueOf);
}
