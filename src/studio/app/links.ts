/**
 * Where a record's link leads, from the link's href template: to-one
 * (`Author/{authorId}`) opens the target record, to-many (`Book?authorId={id}`,
 * or `Author/{coAuthorIds}` with an array) opens the target's table filtered
 * to the linked records.
 */
import type { LinkInfo, ModelInfo } from "./models.js";
import { recordHash, tableHash } from "./route.js";

/** The hash a link of `record` opens; undefined when it links nothing (or the role cannot reach the target). */
export function linkHash(
  link: LinkInfo,
  record: Record<string, unknown>,
  models: readonly ModelInfo[],
): string | undefined {
  const target = models.find((model) => model.name === link.target);
  const href = link.href;
  if (!target || !href) return undefined;
  const many = /^[^/?]+\?([^=]+)=\{([^}]+)\}$/.exec(href);
  if (many) {
    const value = record[many[2]!];
    return value === undefined || value === null
      ? undefined
      : tableHash(target.name, { query: `eq(${many[1]},${rqlValue(value)})` });
  }
  const one = /^[^/?]+\/\{([^}]+)\}$/.exec(href);
  if (!one) return undefined;
  const value = record[one[1]!];
  if (Array.isArray(value))
    return value.length === 0
      ? undefined
      : tableHash(target.name, { query: `in(${target.key},(${value.map(rqlValue).join(",")}))` });
  return value === undefined || value === null ? undefined : recordHash(target.name, value);
}

/** A value in RQL: strings typed as strings (an ISBN is not a number), encoded. */
function rqlValue(value: unknown): string {
  return typeof value === "string" ? `string:${encodeURIComponent(value)}` : String(value);
}
