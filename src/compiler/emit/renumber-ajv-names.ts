/**
 * ajv names the validators, schemas and formats of standalone code with one
 * counter per ajv instance (`validate31`, `schema42`, `formats2`), so a
 * model's validator would read differently depending on what else the same
 * instance compiled first. Renumbering those names by first appearance makes
 * each validator file depend only on its own schema and the schemas it
 * references: a one-model rebuild emits the same bytes as a full build.
 */
import { ts } from "ts-morph";

/** The prefixes of ajv's external scope (ajv/dist/core.js EXT_SCOPE_NAMES). */
const EXT_NAME = /^(validate|serialize|parse|wrapper|root|schema|keyword|pattern|formats|func|obj|Error)(\d+)$/;

/** Renumber ajv's top-level names in `code` from 0, per prefix, in order of first appearance. */
export function renumberAjvNames(code: string): string {
  const source = ts.createSourceFile("validator.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) declared.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.add(d.name.text);
    }
  }
  const names = new Map<string, string>();
  const counters = new Map<string, number>();
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && declared.has(node.text) && !isPropertyName(node)) {
      const match = EXT_NAME.exec(node.text);
      if (match) {
        let renamed = names.get(node.text);
        if (renamed === undefined) {
          const prefix = match[1]!;
          const next = counters.get(prefix) ?? 0;
          counters.set(prefix, next + 1);
          renamed = `${prefix}${next}`;
          names.set(node.text, renamed);
        }
        // `{ validate3 }` keeps its key: `{ validate3: validate0 }`.
        const text = ts.isShorthandPropertyAssignment(node.parent) ? `${node.text}: ${renamed}` : renamed;
        if (text !== node.text) edits.push({ start: node.getStart(source), end: node.end, text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = "";
  let at = 0;
  for (const edit of edits) {
    out += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + code.slice(at);
}

/** `x.name`, `{ name: ... }` and other member names are not references to a variable. */
function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isPropertyDeclaration(parent) && parent.name === node)
  );
}
