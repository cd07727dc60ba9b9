/** RQL property paths. */
import type { Path } from "../ast.js";
import { decodeValue } from "../values.js";
import { at } from "./positions.js";
import { syntax } from "./rql-operators.js";
import type { RqlItem } from "./rql-syntax.js";

/**
 * A property path: `a/b/c` or `(a,b,c)`; `%2F` inside a name is part of it.
 * The path remembers where it was written, so schema errors point at the name.
 */
export function toPath(item: RqlItem): Path {
  return at(readPath(item), item.position) as Path;
}

function readPath(item: RqlItem): string[] {
  if (item.t === "word") {
    if (item.raw === "") throw syntax("expected a property name", item.position);
    let offset = item.position;
    return item.raw.split("/").map((part) => {
      const position = offset;
      offset += part.length + 1;
      if (part === "") throw syntax("empty property name in a path", position);
      return decodeValue(part, position);
    });
  }
  if (
    item.t === "group" &&
    item.join === "and" &&
    item.items.every((i) => i.t === "word" && i.raw !== "")
  ) {
    return item.items.map((i) => decodeValue((i as { raw: string }).raw, i.position));
  }
  throw syntax("expected a property name or a (list,of,names) path", item.position);
}
