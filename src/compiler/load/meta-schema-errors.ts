/**
 * ajv's meta-schema errors as diagnostics that say what was wrong: the value
 * written, what is allowed instead, and the nearest allowed value
 * (`"integr" is not a type; allowed: array, boolean, ...; did you mean
 * "integer"?`). Where the meta-schema offers alternatives (`type` is a name
 * or a list of names), only the alternative that explains the value is kept,
 * not "must be array" beside it.
 */
import type { ErrorObject } from "ajv";
import { closestMatch, didYouMean } from "./did-you-mean.js";
import { getByPointer } from "../ir/json-pointer.js";

export interface MetaSchemaProblem {
  readonly code: string;
  readonly message: string;
  readonly pointer: string;
}

/** The diagnostics for `errors` from validating `data` against a meta-schema. */
export function metaSchemaProblems(
  errors: readonly ErrorObject[],
  data: unknown,
  code: string,
): MetaSchemaProblem[] {
  const out: MetaSchemaProblem[] = [];
  for (const e of withoutLosingAlternatives(errors)) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    out.push({ code, message: describe(e, data), pointer: e.instancePath });
  }
  return out;
}

/**
 * Where an `anyOf` failed, its alternatives all report; keep those that went
 * deepest into the value, else an `enum` over a bare "must be <type>".
 */
function withoutLosingAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const anyOf of errors.filter((e) => e.keyword === "anyOf")) {
    const at = anyOf.instancePath;
    const inside = errors.filter(
      (e) => e !== anyOf && (e.instancePath === at || e.instancePath.startsWith(`${at}/`)),
    );
    const here = inside.filter((e) => e.instancePath === at);
    if (inside.some((e) => e.instancePath !== at)) {
      for (const e of here) if (e.keyword === "type" || e.keyword === "enum") dropped.add(e);
    } else if (here.some((e) => e.keyword === "enum")) {
      for (const e of here) if (e.keyword === "type") dropped.add(e);
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

function describe(e: ErrorObject, data: unknown): string {
  if (e.keyword === "enum") {
    const allowed = (e.params["allowedValues"] as unknown[]) ?? [];
    const value = getByPointer(data, e.instancePath);
    const strings = allowed.filter((v): v is string => typeof v === "string");
    const guess = typeof value === "string" ? closestMatch(value, strings) : undefined;
    return (
      `${JSON.stringify(value)} is not ${whatIsAllowed(e.instancePath)}; ` +
      `allowed: ${allowed.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}` +
      (guess === undefined ? "" : `; did you mean ${JSON.stringify(guess)}?`)
    );
  }
  if (e.keyword === "additionalProperties") {
    const extra = String(e.params["additionalProperty"]);
    // With ajv's `verbose`, the schema that refused it names the properties it allows.
    const allowed = Object.keys(
      (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
    );
    return (
      `unknown property ${JSON.stringify(extra)}${didYouMean(extra, allowed)}` +
      (allowed.length > 0 ? `; allowed: ${allowed.join(", ")}` : "")
    );
  }
  return e.message ?? e.keyword;
}

/** "a type", "a facet method", or "an allowed value", from where the value sits. */
function whatIsAllowed(pointer: string): string {
  if (/\/type(\/\d+)?$/.test(pointer)) return "a type";
  if (/^\/facets\/[^/]+\/methods\/\d+$/.test(pointer)) return "a facet method";
  if (/\/join$/.test(pointer)) return "a join";
  return "an allowed value";
}
