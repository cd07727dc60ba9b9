/**
 * Splits a SQL script into statements at top-level semicolons, skipping
 * quoted strings, quoted identifiers, dollar-quoted bodies and comments.
 * Migrations run one statement at a time because PGlite's extended protocol
 * (like pg with parameters) accepts only one statement per query.
 */
export function splitSql(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i]!;
    if (c === "'" || c === '"') {
      i = script.indexOf(c, i + 1);
      // A doubled quote is an escaped quote: keep scanning.
      while (i !== -1 && script[i + 1] === c) i = script.indexOf(c, i + 2);
      i = i === -1 ? n : i + 1;
    } else if (c === "-" && script[i + 1] === "-") {
      const end = script.indexOf("\n", i);
      i = end === -1 ? n : end + 1;
    } else if (c === "/" && script[i + 1] === "*") {
      const end = script.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === "$") {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i));
      if (tag === null) i += 1;
      else {
        const end = script.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      }
    } else if (c === ";") {
      push(statements, script.slice(start, i));
      start = i + 1;
      i += 1;
    } else i += 1;
  }
  push(statements, script.slice(start));
  return statements;
}

function push(statements: string[], text: string): void {
  const statement = text.trim();
  if (stripComments(statement).trim() !== "") statements.push(statement);
}

function stripComments(text: string): string {
  return text.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
}
