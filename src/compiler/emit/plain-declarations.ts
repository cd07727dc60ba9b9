/**
 * json-schema-to-typescript's output (it is told not to run prettier) as
 * prettier prints it, when it is only plain declarations: type imports, and
 * interfaces (or `A & { ... }` type aliases) whose members are one line each
 * with a plain type (names, `[]`, string and number literals, `|`). Then the
 * data-types emitter hands the formatter finished text (`preformattedLines`)
 * and the build runs no prettier for it. Anything else (comments,
 * nested object types, generics, long lines, blank lines inside a body)
 * answers undefined and prettier formats the file as before.
 */

const IMPORT = /^import type \{ [A-Za-z_$][\w$]*(?:, [A-Za-z_$][\w$]*)* \} from "[\w./-]+";$/;
const INTERFACE =
  /^export interface [A-Za-z_$][\w$]* (?:extends [A-Za-z_$][\w$]*(?:, [A-Za-z_$][\w$]*)* )?\{$/;
const INTERSECTION =
  /^export type [A-Za-z_$][\w$]* = [A-Za-z_$][\w$]*(?: & [A-Za-z_$][\w$]*)* & \{$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const ATOM = String.raw`(?:[A-Za-z_$][\w$]*(?:\[\])*|"[ !#-\[\]-~]*"|-?\d+(?:\.\d+)?)`;
const MEMBER = new RegExp(
  String.raw`^(readonly )?([A-Za-z_$][\w$]*|"[ !#-\[\]-~]*"|\[k: string\])(\??): (${ATOM}(?: \| ${ATOM})*);?$`,
);

/** `text` as prettier prints it, or undefined when it is more than plain declarations. */
export function plainDeclarationsAsPrettierPrints(text: string): string | undefined {
  const out: string[] = [];
  /** The closing line of the body being read (`}` or `};`), if in one. */
  let closing: string | undefined;
  let blank = false;
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      if (closing !== undefined) return undefined;
      blank = out.length > 0;
      continue;
    }
    if (closing === undefined) {
      if (blank) out.push("");
      blank = false;
      if (IMPORT.test(line) && line.length <= 100) out.push(line);
      else if (INTERFACE.test(line) || INTERSECTION.test(line)) {
        if (line.length > 100) return undefined;
        out.push(line);
        closing = line.startsWith("export type ") ? "};" : "}";
      } else return undefined;
      continue;
    }
    if (line === "}") {
      // An empty body prints as `{}` on the opening line.
      if (out.at(-1)!.endsWith("{")) out[out.length - 1] += closing;
      else out.push(closing);
      closing = undefined;
      continue;
    }
    const member = MEMBER.exec(line);
    if (member === null) return undefined;
    const [, readonly = "", key = "", optional = "", type = ""] = member;
    // Prettier drops quotes a key does not need.
    const unquoted =
      key.startsWith('"') && IDENTIFIER.test(key.slice(1, -1)) ? key.slice(1, -1) : key;
    const printed = `  ${readonly}${unquoted}${optional}: ${type};`;
    if (printed.length > 100) return undefined;
    out.push(printed);
  }
  if (closing !== undefined || out.length === 0) return undefined;
  return `${out.join("\n")}\n`;
}
