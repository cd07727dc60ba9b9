/**
 * A `text[]` cell as PostgreSQL sends it in text (`{a,b,NULL}`) split into
 * its elements when no element is quoted: PostgreSQL quotes every element
 * that is empty, holds white space, a comma, a brace, a quote or a backslash,
 * or spells NULL, so an unquoted list is a plain comma split, with unquoted
 * `NULL` as null (`postgres-array` reads it the same way, one character at a
 * time). Anything else (quotes, nesting, dimension bounds) answers
 * `undefined`, and the caller parses it as `pg` always has.
 */
export function elementsOfTextArray(text: string): (string | null)[] | undefined {
  const last = text.length - 1;
  if (
    last < 1 ||
    text.charCodeAt(0) !== 123 || // {
    text.charCodeAt(last) !== 125 || // }
    text.indexOf('"') !== -1 ||
    text.indexOf("\\") !== -1 ||
    text.indexOf("{", 1) !== -1
  )
    return undefined;
  if (last === 1) return [];
  const elements: (string | null)[] = text.slice(1, last).split(",");
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    // An empty element cannot come from PostgreSQL unquoted; leave such text to the driver's parser.
    if (element.length === 0) return undefined;
    if (element === "NULL") elements[i] = null;
  }
  return elements;
}
