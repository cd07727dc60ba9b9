import { createHash } from "node:crypto";

/** PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1). */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * `<table>_<columns>_<suffix>` (`book_title_year_idx`), shortened with a hash
 * when PostgreSQL would truncate it, so two long names never collide and the
 * name in the catalog is the name in the snapshot.
 */
export function constraintName(table: string, columns: readonly string[], suffix: string): string {
  return clampIdentifier(`${table}_${columns.join("_")}_${suffix}`, suffix);
}

/** `name` if it fits in an identifier, else a prefix + a short hash (+ the suffix kept readable). */
export function clampIdentifier(name: string, suffix = ""): string {
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  const tail = suffix === "" ? `_${hash}` : `_${hash}_${suffix}`;
  const head = Array.from(name); // code points, so a cut never splits a character
  while (Buffer.byteLength(head.join("") + tail) > MAX_IDENTIFIER_BYTES) head.pop();
  return head.join("") + tail;
}
