/**
 * The top-level templates/ folder (see templates/README.md): the starter
 * project `perstore init` writes, the published JSON Schemas, and the
 * skeletons of the once-per-project files the emitters fill in
 * (templates/emit). Found by walking up from this module, so it works from
 * src/ (tsx), dist/ and an installed package alike.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PerstoreError } from "../errors/index.js";

let found: string | undefined;

/** The templates folder (absolute). */
export function templatesDir(): string {
  if (found !== undefined) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "templates");
    if (existsSync(join(candidate, "init"))) return (found = candidate);
    const parent = dirname(dir);
    if (parent === dir)
      throw new PerstoreError(
        "CLI_NO_TEMPLATES",
        "perstore's templates/ folder is missing from its installation; reinstall the package",
      );
    dir = parent;
  }
}

/**
 * What a placeholder stands for: a string goes where `{{name}}` stands; a
 * list of lines replaces the line `{{name}}` stands on alone (each line with
 * that line's indentation, no line at all when the list is empty).
 */
export type TemplateValue = string | readonly string[];

const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const LINE_PLACEHOLDER = /^([ \t]*)\{\{(\w+)\}\}$/;

/**
 * `template` with its placeholders filled in. A placeholder without a value,
 * or a list where a string belongs, is a bug in the emitter or the template,
 * so it throws (TEMPLATE_PLACEHOLDER) rather than emit a half-filled file.
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, TemplateValue>>,
): string {
  const valueOf = (name: string): TemplateValue => {
    const value = values[name];
    if (value === undefined)
      throw new PerstoreError(
        "TEMPLATE_PLACEHOLDER",
        `template placeholder {{${name}}} has no value`,
      );
    return value;
  };
  return template
    .split("\n")
    .flatMap((line) => {
      const whole = LINE_PLACEHOLDER.exec(line);
      if (whole !== null) {
        const value = valueOf(whole[2]!);
        if (typeof value !== "string") return value.map((item) => `${whole[1]}${item}`);
      }
      return [
        line.replace(PLACEHOLDER, (_, name: string) => {
          const value = valueOf(name);
          if (typeof value !== "string")
            throw new PerstoreError(
              "TEMPLATE_PLACEHOLDER",
              `template placeholder {{${name}}} stands for lines, so it must be alone on its line`,
            );
          return value;
        }),
      ];
    })
    .join("\n");
}

const cache = new Map<string, string>();

/** A template's text (path relative to templates/), read once per process. */
export function templateText(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    // A checkout with CRLF line ends must still emit the same bytes.
    text = readFileSync(join(templatesDir(), path), "utf8").replace(/\r\n/g, "\n");
    cache.set(path, text);
  }
  return text;
}

/** An emitter's skeleton (path relative to templates/emit/), filled in. */
export function emitTemplate(
  path: string,
  values: Readonly<Record<string, TemplateValue>>,
): string {
  return fillTemplate(templateText(`emit/${path}`), values);
}
