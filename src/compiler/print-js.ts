/**
 * Prettier's output for the JavaScript perstore emits, without prettier:
 * the code is parsed with acorn and turned into the same document prettier's
 * estree printer builds for it (the rules below are prettier's, cited by the
 * file they come from in prettier/src/language-js/print), which prettier's
 * own doc printer then lays out. So line breaking is prettier's, and the
 * cost is a parse (~50x less than prettier's babel + printer).
 *
 * It covers what ajv's standalone code and JSON values are made of:
 * declarations, if/for/function/return, member and call expressions,
 * binary/logical/unary operators, object and array literals, literals.
 * Anything else (comments inside code, templates, arrow functions, member
 * chains with more than one call, numbers arrays prettier fills, non-ASCII
 * keys, blank lines inside objects, ...) makes `printJs` answer undefined,
 * and the caller runs prettier. test/compiler/print-js.test.ts checks it
 * against prettier, byte for byte, on every validator the golden and
 * conformance schemas give and on random values.
 */
import { parse, type Comment } from "acorn";
import { builders, printer, utils } from "prettier/doc";
import type { Doc } from "prettier";

const {
  conditionalGroup,
  group,
  hardline,
  ifBreak,
  indent,
  indentIfBreak,
  join,
  label,
  line,
  lineSuffixBoundary,
  softline,
  breakParent,
} = builders;

/** perstore's prettier options (see format-file.ts PRETTIER_OPTIONS): width 100, trailing commas everywhere. */
const PRINT_WIDTH = 100;
const TAB_WIDTH = 2;

/** Thrown when the code uses something this printer does not reproduce; `printJs` then answers undefined. */
class Unsupported extends Error {}

/** An acorn (ESTree) node; only the fields this printer reads. */
interface Node {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [field: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Prettier's formatting of `text` (a JavaScript module; `printWidth` 100,
 * `trailingComma: "all"`), or undefined when the text has anything this
 * printer does not know to print as prettier does.
 */
export function printJs(text: string): string | undefined {
  let program: Node;
  const comments: Comment[] = [];
  const { js, annotations } = withoutTypeAnnotations(text);
  try {
    program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      onComment: comments,
    }) as unknown as Node;
  } catch {
    return undefined;
  }
  try {
    const doc = simplify(new JsPrinter(text, comments, annotations).program(program));
    return printer.printDocToString(doc, {
      printWidth: PRINT_WIDTH,
      tabWidth: TAB_WIDTH,
      useTabs: false,
    } as Parameters<typeof printer.printDocToString>[1]).formatted;
  } catch (error) {
    if (error instanceof Unsupported) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The same document with every part that cannot break (no line inside)
 * joined into one string: groups, indents and labels around plain text print
 * the same in any mode, and prettier's printer measures a string much faster
 * than a tree of parts. Groups with an id stay (an ifBreak may ask for them).
 */
function simplify(doc: Doc): Doc {
  if (typeof doc === "string") return doc;
  if (Array.isArray(doc)) {
    const out: Doc[] = [];
    for (const part of doc) {
      const simple = simplify(part);
      if (typeof simple === "string") {
        if (simple === "") continue;
        if (typeof out.at(-1) === "string") out[out.length - 1] += simple;
        else out.push(simple);
      } else if (Array.isArray(simple)) {
        for (const p of simple) {
          if (typeof p === "string" && typeof out.at(-1) === "string") out[out.length - 1] += p;
          else out.push(p);
        }
      } else out.push(simple);
    }
    return out.length === 0 ? "" : out.length === 1 ? out[0]! : out;
  }
  const d = doc as {
    type: string;
    contents?: Doc;
    break?: boolean;
    id?: symbol;
    expandedStates?: Doc[];
  };
  switch (d.type) {
    case "group": {
      if (d.expandedStates !== undefined)
        return {
          ...d,
          expandedStates: d.expandedStates.map(simplify),
          contents: simplify(d.contents!),
        } as Doc;
      const contents = simplify(d.contents!);
      if (typeof contents === "string" && !d.break && d.id === undefined) return contents;
      return { ...d, contents } as Doc;
    }
    case "indent":
    case "align":
    case "label": {
      const contents = simplify(d.contents!);
      if (typeof contents === "string") return contents;
      return { ...d, contents } as Doc;
    }
    case "indent-if-break":
      return { ...d, contents: simplify(d.contents!) } as Doc;
    case "if-break": {
      const b = doc as { breakContents: Doc; flatContents: Doc };
      return {
        ...d,
        breakContents: simplify(b.breakContents),
        flatContents: simplify(b.flatContents),
      } as Doc;
    }
    default:
      return doc;
  }
}

/**
 * The one piece of TypeScript printJs reads: a top-level
 * `export const name: Type<A, B> = {...}` (a model's definition), its type
 * a plain reference with plain arguments. The annotation is blanked out for
 * acorn (spaces, so every offset stays) and printed back as written.
 */
const ANNOTATED_CONST =
  /^export const ([A-Za-z_$][\w$]*)(: [A-Za-z_$][\w$]*(?:<[A-Za-z_$][\w$]*(?:, [A-Za-z_$][\w$]*)*>)?) = \{/gm;

function withoutTypeAnnotations(text: string): {
  js: string;
  annotations: ReadonlyMap<number, string>;
} {
  const annotations = new Map<number, string>();
  const js = text.replace(ANNOTATED_CONST, (match, name: string, type: string, at: number) => {
    annotations.set(at + "export const ".length, type);
    return `export const ${name}${" ".repeat(type.length)} = {`;
  });
  return { js, annotations };
}

/**
 * `text` formatted by `printJs`, its first `lines` lines kept as they are
 * (an emitter wrote them as prettier prints them: see
 * `EmittedFile.preformattedLines`), or undefined when the rest is not
 * JavaScript that `printJs` prints.
 */
export function printJsAfter(text: string, lines: number): string | undefined {
  let at = 0;
  for (let i = 0; i < lines; i++) {
    const end = text.indexOf("\n", at);
    if (end < 0) return undefined;
    // Prettier never breaks a comment; any other line over the width it would.
    if (end - at > PRINT_WIDTH && !/^\s*(?:\/\*\*.*\*\/|\/\/.*)$/.test(text.slice(at, end)))
      return undefined;
    at = end + 1;
  }
  // Prettier would keep a blank line there.
  if (text[at] === "\n") return undefined;
  const rest = printJs(text.slice(at));
  return rest === undefined ? undefined : text.slice(0, at) + rest;
}

function unsupported(what: string): never {
  throw new Unsupported(what);
}

// utilities/get-precedence.js
const PRECEDENCE = new Map(
  [
    ["??"],
    ["||"],
    ["&&"],
    ["|"],
    ["^"],
    ["&"],
    ["==", "===", "!=", "!=="],
    ["<", ">", "<=", ">=", "in", "instanceof"],
    [">>", "<<", ">>>"],
    ["+", "-"],
    ["*", "/", "%"],
    ["**"],
  ].flatMap((operators, index) => operators.map((operator) => [operator, index] as const)),
);

const precedence = (operator: string): number =>
  PRECEDENCE.get(operator) ?? unsupported(`operator ${operator}`);

const EQUALITY = new Set(["==", "!=", "===", "!=="]);
const MULTIPLICATIVE = new Set(["*", "/", "%"]);
const BITSHIFT = new Set([">>", ">>>", "<<"]);
const BITWISE = new Set([">>", ">>>", "<<", "&", "|", "^"]);

// utilities/should-flatten.js
function shouldFlatten(parentOp: string, nodeOp: string): boolean {
  if (precedence(nodeOp) !== precedence(parentOp)) return false;
  if (parentOp === "**") return false;
  if (EQUALITY.has(parentOp) && EQUALITY.has(nodeOp)) return false;
  if (
    (nodeOp === "%" && MULTIPLICATIVE.has(parentOp)) ||
    (parentOp === "%" && MULTIPLICATIVE.has(nodeOp))
  )
    return false;
  if (nodeOp !== parentOp && MULTIPLICATIVE.has(nodeOp) && MULTIPLICATIVE.has(parentOp))
    return false;
  if (BITSHIFT.has(parentOp) && BITSHIFT.has(nodeOp)) return false;
  return true;
}

const isBinaryish = (node: Node | null | undefined): boolean =>
  node?.type === "BinaryExpression" || node?.type === "LogicalExpression";
const isMember = (node: Node | null | undefined): boolean => node?.type === "MemberExpression";
const isCall = (node: Node | null | undefined): boolean => node?.type === "CallExpression";
const isString = (node: Node | null | undefined): boolean =>
  node?.type === "Literal" && typeof node.value === "string";
const isNumber = (node: Node | null | undefined): boolean =>
  node?.type === "Literal" && typeof node.value === "number";
const isSignedNumber = (node: Node): boolean =>
  node.type === "UnaryExpression" &&
  (node.operator === "+" || node.operator === "-") &&
  isNumber(node.argument);
const isObjectOrArrayWithItems = (node: Node): boolean =>
  (node.type === "ObjectExpression" && node.properties.length > 0) ||
  (node.type === "ArrayExpression" && node.elements.length > 0);

// utilities/get-preferred-quote.js + make-string.js + print-string.js (double quotes preferred)
function printString(raw: string): string {
  const content = raw.slice(1, -1);
  let doubles = 0;
  let singles = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 34) doubles++;
    else if (c === 39) singles++;
  }
  const quote = doubles > singles ? "'" : '"';
  if (raw[0] === quote) return raw;
  const other = quote === '"' ? "'" : '"';
  return (
    quote +
    content.replace(/\\(["'\\])|(["'])/g, (match, escaped?: string, unescaped?: string) => {
      if (escaped) return escaped === other ? other : match;
      return unescaped === quote ? `\\${unescaped}` : unescaped!;
    }) +
    quote
  );
}

// utilities/print-number.js (decimal literals only)
function printNumber(raw: string): string {
  if (!/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw)) unsupported(`number ${raw}`);
  if (raw.length === 1) return raw;
  return raw
    .toLowerCase()
    .replace(/^([+-]?[\d.]+e)(?:\+|(-))?0*(?=\d)/, "$1$2")
    .replace(/^([+-]?[\d.]+)e[+-]?0+$/, "$1")
    .replace(/^([+-])?\./, "$10.")
    .replace(/(\.\d+?)0+(?=e|$)/, "$1")
    .replace(/\.(?=e|$)/, "");
}

/** ES5 identifier names, ASCII only (a key outside ASCII is left to prettier). */
const IDENTIFIER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

class JsPrinter {
  /** Ancestors of the node being printed, nearest last, with the key each child hangs under. */
  private readonly stack: { node: Node; key: string }[] = [];

  constructor(
    private readonly text: string,
    private readonly comments: readonly Comment[],
    /** Type annotations blanked out for acorn, by the offset of the name they follow. */
    private readonly annotations: ReadonlyMap<number, string> = new Map(),
  ) {}

  private get parent(): Node {
    return this.stack.at(-1)!.node;
  }

  private get key(): string {
    return this.stack.at(-1)!.key;
  }

  /** Print `child`, found under `key` of `parent`. */
  private print(parent: Node, key: string, child: Node): Doc {
    this.stack.push({ node: parent, key });
    try {
      const doc = this.node(child);
      return this.needsParens(child) ? ["(", doc, ")"] : doc;
    } finally {
      this.stack.pop();
    }
  }

  private printField(node: Node, key: string): Doc {
    return this.print(node, key, node[key] as Node);
  }

  /** Whether a blank line follows `end` (utilities/is-next-line-empty.js, without comments). */
  private isNextLineEmpty(end: number): boolean {
    const rest = /^[^\n]*?\n([ \t]*)(\r?\n)?/.exec(this.text.slice(end, end + 200));
    return rest !== null && rest[2] !== undefined;
  }

  program(program: Node): Doc {
    // Comments only on their own lines between top-level statements (a banner, a JSDoc line).
    const statements = program.body as Node[];
    const items: { start: number; end: number; doc: () => Doc }[] = [];
    for (const comment of this.comments) {
      const inside = statements.some((s) => comment.start >= s.start && comment.start < s.end);
      const ownLine =
        /(^|\n)[ \t]*$/.test(this.text.slice(0, comment.start)) &&
        /^[ \t]*(\n|$)/.test(this.text.slice(comment.end));
      if (inside || !ownLine || comment.value.includes("\n"))
        unsupported("comment inside code or across lines");
      const raw = this.text.slice(comment.start, comment.end);
      items.push({ start: comment.start, end: comment.end, doc: () => raw.trimEnd() });
    }
    for (const statement of statements) {
      if (statement.directive !== undefined) unsupported("directive");
      if (statement.type === "EmptyStatement") continue;
      items.push({
        start: statement.start,
        end: statement.end,
        doc: () => this.print(program, "body", statement),
      });
    }
    items.sort((a, b) => a.start - b.start);
    if (items.length === 0) return "";
    const lastStatement = statements.findLast((s) => s.type !== "EmptyStatement");
    if (lastStatement === undefined || items.at(-1)!.start !== lastStatement.start)
      unsupported("comment after the last statement");
    const parts: Doc[] = [];
    items.forEach((item, i) => {
      parts.push(item.doc());
      if (i < items.length - 1) {
        parts.push(hardline);
        if (this.isNextLineEmpty(item.end)) parts.push(hardline);
      }
    });
    return [parts, hardline];
  }

  /** A statement list (statement-sequence.js). */
  private statements(parent: Node, key: string): Doc[] {
    const list = (parent[key] as Node[]).filter((s) => s.type !== "EmptyStatement");
    const parts: Doc[] = [];
    list.forEach((statement, i) => {
      parts.push(this.print(parent, key, statement));
      if (i < list.length - 1) {
        parts.push(hardline);
        if (this.isNextLineEmpty(statement.end)) parts.push(hardline);
      }
    });
    return parts;
  }

  private node(node: Node): Doc {
    switch (node.type) {
      case "ExpressionStatement":
        if (
          node.expression.type === "ObjectExpression" ||
          node.expression.type === "FunctionExpression"
        )
          unsupported("statement starting with { or function");
        return [this.printField(node, "expression"), ";"];
      case "VariableDeclaration":
        return this.variableDeclaration(node);
      case "VariableDeclarator": {
        const type = this.annotations.get(node.id.start as number);
        if (type === undefined)
          return this.assignment(node, this.printField(node, "id"), " =", "init");
        // `export const name: Type<...> = {`: prettier would break inside the type arguments were it too long.
        const left = `${node.id.name as string}${type}`;
        if (`export const ${left} = {`.length > PRINT_WIDTH) unsupported("long annotated const");
        return this.assignment(node, left, " =", "init");
      }
      case "IfStatement":
        return this.ifStatement(node);
      case "BlockStatement":
        return this.block(node);
      case "ReturnStatement":
        return ["return", node.argument ? [" ", this.returnArgument(node)] : "", ";"];
      case "BreakStatement":
      case "ContinueStatement":
        return [
          node.type === "BreakStatement" ? "break" : "continue",
          node.label ? [" ", this.printField(node, "label")] : "",
          ";",
        ];
      case "ForInStatement":
      case "ForOfStatement":
        return group([
          "for (",
          this.printField(node, "left"),
          node.type === "ForInStatement" ? " in " : " of ",
          this.printField(node, "right"),
          ")",
          this.clause(node, "body"),
        ]);
      case "ForStatement":
        return this.forStatement(node);
      case "FunctionDeclaration":
      case "FunctionExpression":
        return this.functionDeclaration(node);
      case "ExportNamedDeclaration":
        if (node.declaration === null || node.source) unsupported("export list");
        return ["export ", this.printField(node, "declaration")];
      case "ImportDeclaration":
        return this.importDeclaration(node);
      case "Identifier":
        return node.name as string;
      case "ThisExpression":
        return "this";
      case "Literal":
        return this.literal(node);
      case "ObjectExpression":
      case "ObjectPattern":
        return this.object(node);
      case "ArrayExpression":
        return this.array(node);
      case "Property":
        return this.property(node);
      case "AssignmentPattern":
        return [this.printField(node, "left"), " = ", this.printField(node, "right")];
      case "MemberExpression":
        return this.member(node);
      case "CallExpression":
      case "NewExpression":
        return this.call(node);
      case "BinaryExpression":
      case "LogicalExpression":
        return this.binaryish(node);
      case "UnaryExpression":
        return [
          node.operator,
          /[a-z]$/.test(node.operator) ? " " : "",
          this.printField(node, "argument"),
        ];
      case "UpdateExpression":
        return node.prefix
          ? [node.operator, this.printField(node, "argument")]
          : [this.printField(node, "argument"), node.operator];
      case "AssignmentExpression":
        return this.assignment(node, this.printField(node, "left"), [" ", node.operator], "right");
      case "ConditionalExpression":
        return this.conditional(node);
      default:
        return unsupported(node.type);
    }
  }

  // parentheses/needs-parentheses.js, for the node types above
  private needsParens(node: Node): boolean {
    if (this.stack.length === 0) return false;
    const parent = this.parent;
    const key = this.key;
    switch (node.type) {
      case "BinaryExpression":
      case "LogicalExpression":
        switch (parent.type) {
          case "CallExpression":
          case "NewExpression":
            return key === "callee";
          case "UnaryExpression":
          case "UpdateExpression":
            return true;
          case "MemberExpression":
            return key === "object";
          case "LogicalExpression":
          case "BinaryExpression": {
            if (parent.type === "LogicalExpression" && node.type === "LogicalExpression")
              return parent.operator !== node.operator;
            const np = precedence(node.operator);
            const pp = precedence(parent.operator);
            if (pp > np) return true;
            if (key === "right" && pp === np) return true;
            if (pp === np && !shouldFlatten(parent.operator, node.operator)) return true;
            if (pp < np && node.operator === "%")
              return parent.operator === "+" || parent.operator === "-";
            if (BITWISE.has(parent.operator)) return true;
            return false;
          }
          default:
            return false;
        }
      case "ConditionalExpression":
        if (
          ![
            "AssignmentExpression",
            "VariableDeclarator",
            "Property",
            "ReturnStatement",
            "ExpressionStatement",
          ].includes(parent.type) &&
          !(
            key === "arguments" &&
            (parent.type === "CallExpression" || parent.type === "NewExpression")
          )
        )
          return unsupported("conditional expression here");
        return false;
      case "AssignmentExpression":
        if (parent.type === "ExpressionStatement") return false;
        return unsupported("assignment inside an expression");
      case "UnaryExpression":
      case "UpdateExpression":
        if (parent.type === "UnaryExpression") return unsupported("unary inside unary"); // `- -x`, `+ +x`: prettier's spacing rules
        if (parent.type === "BinaryExpression" && parent.operator === "**" && key === "left")
          return unsupported("unary base of **");
        return (
          (key === "object" && parent.type === "MemberExpression") ||
          (key === "callee" &&
            (parent.type === "CallExpression" || parent.type === "NewExpression"))
        );
      case "Literal":
        if (
          key === "object" &&
          parent.type === "MemberExpression" &&
          typeof node.value === "number"
        )
          return unsupported("number literal as member object");
        return false;
      case "CallExpression":
        if (key === "callee" && parent.type === "NewExpression") return unsupported("new (call)");
        return false;
      case "FunctionExpression":
        if (key === "callee" || (key === "object" && parent.type === "MemberExpression"))
          return unsupported("function expression callee");
        return false;
      default:
        return false;
    }
  }

  private literal(node: Node): Doc {
    const raw = node.raw as string;
    if (node.regex !== undefined) {
      // literal.js: flags sorted
      const { pattern, flags } = node.regex as { pattern: string; flags: string };
      return `/${pattern}/${[...flags].sort().join("")}`;
    }
    if (typeof node.value === "string") return printString(raw);
    if (typeof node.value === "number") return printNumber(raw);
    if (typeof node.value === "boolean" || node.value === null) return raw;
    return unsupported("bigint literal");
  }

  // variable-declaration.js (one declarator)
  private variableDeclaration(node: Node): Doc {
    if (node.declarations.length !== 1) unsupported("several declarators");
    const inFor =
      (this.parent.type === "ForStatement" && this.key === "init") ||
      ((this.parent.type === "ForInStatement" || this.parent.type === "ForOfStatement") &&
        this.key === "left");
    return group([
      node.kind,
      " ",
      this.print(node, "declarations", node.declarations[0]),
      inFor ? "" : ";",
    ]);
  }

  // for-statement.js
  private forStatement(node: Node): Doc {
    const body = this.clause(node, "body");
    if (!node.init && !node.test && !node.update) return group(["for (;;)", body]);
    return group([
      "for (",
      group([
        indent([
          softline,
          node.init ? this.printField(node, "init") : "",
          ";",
          line,
          node.test ? this.printField(node, "test") : "",
          ";",
          line,
          node.update ? this.printField(node, "update") : "",
        ]),
        softline,
      ]),
      ")",
      body,
    ]);
  }

  // clause.js (no comments)
  private clause(node: Node, key: string): Doc {
    const child = node[key] as Node;
    const doc = this.print(node, key, child);
    if (child.type === "EmptyStatement") return doc;
    if (
      child.type === "BlockStatement" ||
      (child.type === "IfStatement" && node.type === "IfStatement" && key === "alternate")
    )
      return [" ", doc];
    return indent([line, doc]);
  }

  // if-statement.js + miscellaneous.js printIfStatementCondition
  private ifStatement(node: Node): Doc {
    const test = this.printField(node, "test");
    let inline = false;
    if (node.test.type === "UnaryExpression" && node.test.operator === "!") {
      let inner = node.test.argument as Node;
      if (inner.type === "UnaryExpression" && inner.operator === "!")
        inner = inner.argument as Node;
      inline = inner.type === "LogicalExpression";
    }
    const opening = group([
      "if (",
      inline ? test : group([indent([softline, test]), softline]),
      ")",
      this.clause(node, "consequent"),
    ]);
    if (!node.alternate) return opening;
    const block = node.consequent.type === "BlockStatement";
    return [opening, block ? " " : hardline, "else", group(this.clause(node, "alternate"))];
  }

  // block.js
  private block(node: Node): Doc {
    const body = (node.body as Node[]).some((s) => s.type !== "EmptyStatement")
      ? this.statements(node, "body")
      : undefined;
    if (body !== undefined) return ["{", indent([hardline, body]), hardline, "}"];
    const parent = this.parent;
    const bare = [
      "FunctionExpression",
      "FunctionDeclaration",
      "ForStatement",
      "WhileStatement",
      "DoWhileStatement",
    ].includes(parent.type);
    return bare ? "{}" : ["{", hardline, "}"];
  }

  // return-statement.js
  private returnArgument(node: Node): Doc {
    const doc = this.printField(node, "argument");
    if (isBinaryish(node.argument))
      return group([ifBreak("("), indent([softline, doc]), softline, ifBreak(")")]);
    return doc;
  }

  // function.js + function-parameters.js (plain parameters, no return type)
  private functionDeclaration(node: Node): Doc {
    if (node.async || node.generator) unsupported("async or generator function");
    const params = node.params as Node[];
    let parametersDoc: Doc;
    if (params.length === 0) parametersDoc = ["(", ")"];
    else {
      const hug =
        params.length === 1 &&
        (params[0]!.type === "ObjectPattern" ||
          (params[0]!.type === "AssignmentPattern" && params[0]!.left.type === "ObjectPattern"));
      if (hug) unsupported("a lone destructured parameter");
      if (params.some((p) => p.type !== "Identifier" && p.type !== "AssignmentPattern"))
        unsupported("parameter pattern");
      const printed = params.map((p) => this.print(node, "params", p));
      parametersDoc = [
        "(",
        indent([softline, join([",", line], printed)]),
        ifBreak(","),
        softline,
        ")",
      ];
    }
    return [
      "function",
      " ",
      node.id ? this.printField(node, "id") : "",
      group([parametersDoc]),
      " ",
      this.printField(node, "body"),
    ];
  }

  private importDeclaration(node: Node): Doc {
    const specifiers = node.specifiers as Node[];
    if (node.attributes?.length > 0 || specifiers.length === 0) unsupported("import form");
    if (specifiers.some((s) => s.type !== "ImportSpecifier" || s.imported.name !== s.local.name))
      unsupported("import form");
    const names = specifiers.map((s) => s.local.name as string);
    // module.js: `import { a, b } from "x";` breaking like an object
    return [
      "import ",
      group(["{", indent([line, join([",", line], names)]), ifBreak(","), line, "}"]),
      " from ",
      this.literal(node.source),
      ";",
    ];
  }

  // object.js
  private object(node: Node): Doc {
    const properties = node.properties as Node[];
    if (properties.length === 0) {
      if (this.text.slice(node.start + 1, node.end - 1).trim() !== "") unsupported("comment in {}");
      return "{}";
    }
    if (properties.some((p) => p.type !== "Property")) unsupported("spread in an object");
    const shouldBreak =
      node.type !== "ObjectPattern" && /\n/.test(this.text.slice(node.start, properties[0]!.start));
    const parts: Doc[] = [];
    properties.forEach((property, i) => {
      if (i > 0) parts.push(",", line);
      parts.push(this.print(node, "properties", property));
      if (i < properties.length - 1 && this.isNextLineEmpty(property.end))
        unsupported("blank line between properties");
    });
    const content = ["{", indent([line, ...parts]), ifBreak(","), line, "}"];
    // The object pattern of a declarator is grouped by the assignment.
    if (
      !shouldBreak &&
      node.type === "ObjectPattern" &&
      (this.parent.type === "VariableDeclarator" || this.parent.type === "AssignmentExpression")
    )
      return content;
    return group(content, { shouldBreak });
  }

  // property.js + key.js
  private property(node: Node): Doc {
    if (node.kind !== "init" || node.method) unsupported("getter, setter or method");
    if (node.shorthand) return this.printField(node, "value");
    let keyDoc: Doc;
    const key = node.key as Node;
    if (node.computed) keyDoc = ["[", this.printField(node, "key"), "]"];
    else if (key.type === "Identifier") {
      if (!IDENTIFIER_NAME.test(key.name)) unsupported("non-ASCII key");
      keyDoc = key.name as string;
    } else if (isString(key)) {
      const printed = printString(key.raw);
      if (!/^["'][\x20-\x7e]*["']$/.test(printed)) unsupported("non-ASCII key");
      keyDoc =
        printed.slice(1, -1) === key.value && IDENTIFIER_NAME.test(key.value)
          ? (key.value as string)
          : printed;
    } else return unsupported("numeric key");
    return this.assignment(node, keyDoc, ":", "value");
  }

  // assignment.js
  private assignment(node: Node, leftDoc: Doc, operator: Doc, rightKey: string): Doc {
    const right = node[rightKey] as Node | null;
    if (!right) return leftDoc;
    if (right.type === "AssignmentExpression") unsupported("assignment chain");
    if (
      node.type === "VariableDeclarator" &&
      node.id.type === "ObjectPattern" &&
      node.id.properties.length > 2 &&
      node.id.properties.some(
        (p: Node) =>
          p.type === "Property" && (!p.shorthand || p.value?.type === "AssignmentPattern"),
      )
    )
      unsupported("complex destructuring");
    if (
      right.type === "CallExpression" &&
      right.callee.type === "Identifier" &&
      right.callee.name === "require"
    )
      return group([group(leftDoc), operator, " ", this.printField(node, rightKey)]);
    const layout = this.layout(node, leftDoc, right);
    const rightDoc = this.printField(node, rightKey);
    switch (layout) {
      case "break-after-operator":
        return group([group(leftDoc), operator, group(indent([line, rightDoc]))]);
      case "never-break-after-operator":
        return group([group(leftDoc), operator, " ", rightDoc]);
      default: {
        const groupId = Symbol("assignment");
        return group([
          group(leftDoc),
          operator,
          group(indent(line), { id: groupId }),
          lineSuffixBoundary,
          indentIfBreak(rightDoc, { groupId }),
        ]);
      }
    }
  }

  private layout(
    node: Node,
    leftDoc: Doc,
    right: Node,
  ): "break-after-operator" | "never-break-after-operator" | "fluid" {
    const hasShortKey =
      node.type === "Property" && typeof leftDoc === "string" && leftDoc.length < TAB_WIDTH + 3;
    if (isBinaryish(right) && !this.inlineLogical(right)) return "break-after-operator";
    if (
      right.type === "ConditionalExpression" &&
      isBinaryish(right.test) &&
      !this.inlineLogical(right.test)
    )
      return "break-after-operator";
    if (right.type === "SequenceExpression") return unsupported("sequence");
    if (!hasShortKey) {
      let inner = right;
      while (inner.type === "UnaryExpression") inner = inner.argument as Node;
      if (isString(inner) || this.isPoorlyBreakableChain(inner)) return "break-after-operator";
    }
    const canBreakLeft = utils.canBreak(leftDoc);
    if (
      !canBreakLeft &&
      (hasShortKey ||
        right.type === "TemplateLiteral" ||
        (right.type === "Literal" &&
          (typeof right.value === "boolean" || typeof right.value === "number")))
    )
      return "never-break-after-operator";
    return "fluid";
  }

  // assignment.js isPoorlyBreakableMemberOrCallChain
  private isPoorlyBreakableChain(node: Node, deep = false): boolean {
    if (isCall(node)) {
      // A call this printer prints as a member chain is never `label.memberChain` (one call at most).
      const args = node.arguments as Node[];
      if (!(args.length === 0 || (args.length === 1 && this.isLoneShortArgument(args[0]!))))
        return false;
      return this.isPoorlyBreakableChain(node.callee, true);
    }
    if (isMember(node)) return this.isPoorlyBreakableChain(node.object, true);
    return deep && (node.type === "Identifier" || node.type === "ThisExpression");
  }

  // utilities/is-lone-short-argument.js
  private isLoneShortArgument(node: Node): boolean {
    const threshold = PRINT_WIDTH * 0.25;
    if (node.type === "ThisExpression") return true;
    if (node.type === "Identifier") return node.name.length <= threshold;
    if (isSignedNumber(node)) return true;
    if (node.type === "Literal" && node.regex !== undefined)
      return node.regex.pattern.length <= threshold;
    if (isString(node)) return printString(node.raw).length <= threshold;
    if (node.type === "TemplateLiteral") return unsupported("template literal");
    if (node.type === "UnaryExpression") return this.isLoneShortArgument(node.argument);
    if (
      node.type === "CallExpression" &&
      node.arguments.length === 0 &&
      node.callee.type === "Identifier"
    )
      return node.callee.name.length <= threshold - 2;
    return node.type === "Literal";
  }

  // ternary-old.js, a conditional that is not nested in another
  private conditional(node: Node): Doc {
    const parts = ["test", "consequent", "alternate"] as const;
    if (parts.some((p) => node[p].type === "ConditionalExpression"))
      unsupported("nested conditional");
    return group([
      this.printField(node, "test"),
      indent([
        line,
        "? ",
        builders.align(2, this.printField(node, "consequent")),
        line,
        ": ",
        builders.align(2, this.printField(node, "alternate")),
      ]),
    ]);
  }

  // binaryish.js shouldInlineLogicalExpression
  private inlineLogical(node: Node): boolean {
    return node.type === "LogicalExpression" && isObjectOrArrayWithItems(node.right);
  }

  // binaryish.js printBinaryishExpression
  private binaryish(node: Node): Doc {
    const parent = this.parent;
    const key = this.key;
    const insideParens =
      key !== "body" &&
      (parent.type === "IfStatement" ||
        parent.type === "WhileStatement" ||
        parent.type === "DoWhileStatement");
    const parts = this.binaryishParts(node, insideParens);
    if (insideParens) return parts;
    if (
      (key === "callee" && (parent.type === "CallExpression" || parent.type === "NewExpression")) ||
      parent.type === "UnaryExpression" ||
      (isMember(parent) && !parent.computed)
    )
      return group([indent([softline, ...parts]), softline]);
    const grandparent = this.stack.at(-2)?.node;
    const shouldNotIndent =
      parent.type === "ReturnStatement" ||
      parent.type === "ThrowStatement" ||
      (key !== "body" && parent.type === "ForStatement") ||
      (parent.type === "ConditionalExpression" &&
        grandparent?.type !== "ReturnStatement" &&
        grandparent?.type !== "ThrowStatement" &&
        !isCall(grandparent) &&
        grandparent?.type !== "NewExpression");
    const shouldIndentIfInlining =
      parent.type === "AssignmentExpression" ||
      parent.type === "VariableDeclarator" ||
      parent.type === "Property";
    const samePrecedenceSubExpression =
      isBinaryish(node.left) && shouldFlatten(node.operator, node.left.operator);
    if (
      shouldNotIndent ||
      (this.inlineLogical(node) && !samePrecedenceSubExpression) ||
      (!this.inlineLogical(node) && shouldIndentIfInlining)
    )
      return group(parts);
    if (parts.length === 0) return "";
    const firstGroupIndex = parts.findIndex(
      (part) =>
        typeof part !== "string" &&
        !Array.isArray(part) &&
        (part as { type: string }).type === "group",
    );
    const head = parts.slice(0, firstGroupIndex === -1 ? 1 : firstGroupIndex + 1);
    const rest = parts.slice(head.length);
    return group([...head, indent(rest)], { id: Symbol("logicalChain") });
  }

  // binaryish.js printBinaryishExpressions
  private binaryishParts(node: Node, insideParens: boolean): Doc[] {
    let parts: Doc[];
    if (isBinaryish(node.left) && shouldFlatten(node.operator, node.left.operator)) {
      this.stack.push({ node, key: "left" });
      try {
        parts = this.binaryishParts(node.left, insideParens);
      } finally {
        this.stack.pop();
      }
    } else parts = [group(this.printField(node, "left"))];
    const inline = this.inlineLogical(node);
    let right: Doc = inline
      ? [node.operator, " ", this.printField(node, "right")]
      : [node.operator, line, this.printField(node, "right")];
    const parent = this.parent;
    const shouldGroup =
      !(insideParens && node.type === "LogicalExpression") &&
      parent.type !== node.type &&
      node.left.type !== node.type &&
      node.right.type !== node.type;
    if (shouldGroup) right = group(right);
    parts.push(" ", right);
    return parts;
  }

  // member.js
  private member(node: Node): Doc {
    const objectDoc = this.printField(node, "object");
    const lookup = this.memberLookup(node);
    let first: Node | undefined;
    let firstIndex = this.stack.length - 1;
    while (firstIndex >= 0 && isMember(this.stack[firstIndex]!.node)) firstIndex--;
    first = this.stack[firstIndex]?.node;
    const inlineInNew = (() => {
      // shouldInlineNewExpressionCallee: the member chain is the callee of a `new`
      let i = this.stack.length - 1;
      let child: Node = node;
      while (i >= 0 && isMember(this.stack[i]!.node) && this.stack[i]!.key === "object") {
        child = this.stack[i]!.node;
        i--;
      }
      const ancestor = this.stack[i];
      return (
        ancestor !== undefined &&
        ancestor.node.type === "NewExpression" &&
        ancestor.key === "callee" &&
        ancestor.node.callee === child
      );
    })();
    const shouldInline =
      (first?.type === "AssignmentExpression" && first.left.type !== "Identifier") ||
      inlineInNew ||
      node.computed ||
      (node.object.type === "Identifier" &&
        node.property.type === "Identifier" &&
        !isMember(this.parent)) ||
      ((this.parent.type === "AssignmentExpression" || this.parent.type === "VariableDeclarator") &&
        isCall(node.object) &&
        node.object.arguments.length > 0);
    return [
      objectDoc,
      lineSuffixBoundary,
      shouldInline ? lookup : group(indent([softline, lookup])),
    ];
  }

  private memberLookup(node: Node): Doc {
    const property = this.printField(node, "property");
    if (!node.computed) return [".", property];
    if (isNumber(node.property)) return ["[", property, "]"];
    return group(["[", indent([softline, property]), softline, "]"]);
  }

  // call-expression.js, member-chain.js (one call: printed on one line), call-arguments.js
  private call(node: Node): Doc {
    const isNew = node.type === "NewExpression";
    const callee = node.callee as Node;
    if (node.optional || callee.type === "Super" || callee.type === "Import")
      unsupported("call form");
    if (isCall(callee)) unsupported("curried call");
    if (
      callee.type === "Identifier" &&
      [
        "require",
        "define",
        "it",
        "test",
        "describe",
        "xit",
        "xtest",
        "xdescribe",
        "fit",
        "fdescribe",
        "ftest",
        "beforeEach",
        "afterEach",
        "beforeAll",
        "afterAll",
        "skip",
        "only",
      ].includes(callee.name)
    )
      unsupported("call prettier keeps whole");
    if (
      (node.arguments as Node[]).some(
        (a) =>
          a.type === "TemplateLiteral" ||
          a.type === "ArrowFunctionExpression" ||
          a.type === "SpreadElement",
      )
    )
      unsupported("argument form");
    if (!isNew && isMember(callee)) {
      // printMemberChain: with one call (and the chain's members before it), two groups at most: one line.
      let inner: Node = callee;
      while (isMember(inner)) {
        if (inner.computed) unsupported("computed member in a call chain");
        inner = inner.object;
      }
      if (inner.type !== "Identifier" && inner.type !== "ThisExpression")
        unsupported("member chain");
      const chain: Doc[] = [];
      const collect = (m: Node, owner: Node, key: string): void => {
        if (isMember(m)) {
          this.stack.push({ node: owner, key });
          try {
            collect(m.object, m, "object");
            chain.push(".", this.printField(m, "property"));
          } finally {
            this.stack.pop();
          }
        } else chain.push(this.print(owner, key, m));
      };
      collect(callee, node, "callee");
      return group([...chain, this.callArguments(node)]);
    }
    return [
      isNew ? "new " : "",
      this.printField(node, "callee"),
      lineSuffixBoundary,
      this.callArguments(node),
    ];
  }

  private callArguments(node: Node): Doc {
    const args = node.arguments as Node[];
    if (args.length === 0) {
      if (this.text.slice(node.callee.end, node.end).replace(/[\s()]/g, "") !== "")
        unsupported("comment in ()");
      return "()";
    }
    const functions = args.filter((a) => a.type === "FunctionExpression").length;
    if (functions > 1) unsupported("function composition arguments");
    if (args.length === 2 && args[0]!.type === "FunctionExpression")
      unsupported("first-argument expansion");
    const printed = args.map((arg, i) => {
      const doc = this.print(node, "arguments", arg);
      return i === args.length - 1 ? doc : [doc, ",", line];
    });
    const last = args.at(-1)!;
    const penultimate = args.at(-2);
    const expandLast =
      (isObjectOrArrayWithItems(last) || last.type === "FunctionExpression") &&
      (penultimate === undefined || penultimate.type !== last.type) &&
      !(
        args.length > 1 &&
        last.type === "ArrayExpression" &&
        (last.elements as Node[]).every((e) => e !== null && (isNumber(e) || isSignedNumber(e)))
      );
    const allBroken = (): Doc =>
      group(["(", indent([line, ...printed]), ifBreak(","), line, ")"], { shouldBreak: true });
    if (expandLast) {
      if (last.type === "FunctionExpression") unsupported("function as last argument");
      const head = printed.slice(0, -1);
      if (head.some((d) => utils.willBreak(d))) return allBroken();
      const lastDoc = printed.at(-1)!;
      if (utils.willBreak(lastDoc))
        return [
          breakParent,
          conditionalGroup([
            ["(", ...head, group(lastDoc, { shouldBreak: true }), ")"],
            allBroken(),
          ]),
        ];
      return conditionalGroup([
        ["(", ...head, lastDoc, ")"],
        ["(", ...head, group(lastDoc, { shouldBreak: true }), ")"],
        allBroken(),
      ]);
    }
    return group(["(", indent([softline, ...printed]), ifBreak(","), softline, ")"], {
      shouldBreak: printed.some((d) => utils.willBreak(d)),
    });
  }

  // array.js (no holes; arrays of numbers, which prettier fills, are left to prettier)
  private array(node: Node): Doc {
    const elements = node.elements as (Node | null)[];
    if (elements.length === 0) {
      if (this.text.slice(node.start + 1, node.end - 1).trim() !== "") unsupported("comment in []");
      return "[]";
    }
    if (elements.some((e) => e === null || e.type === "SpreadElement"))
      unsupported("hole or spread");
    const items = elements as Node[];
    if (items.every((e) => isNumber(e) || isSignedNumber(e))) unsupported("number array");
    const shouldBreak =
      items.length > 1 &&
      items.every(
        (element, i) =>
          (element.type === "ObjectExpression" || element.type === "ArrayExpression") &&
          (items[i + 1] === undefined || items[i + 1]!.type === element.type) &&
          (element.type === "ArrayExpression"
            ? element.elements.length
            : element.properties.length) > 1,
      );
    const parts: Doc[] = [];
    items.forEach((element, i) => {
      parts.push(group(this.print(node, "elements", element)));
      if (i < items.length - 1) {
        parts.push([",", line, this.lineAfterElementEmpty(element) ? softline : ""]);
      }
    });
    return group(["[", indent([softline, parts, ifBreak(",")]), softline, "]"], { shouldBreak });
  }

  private lineAfterElementEmpty(element: Node): boolean {
    const comma = this.text.indexOf(",", element.end);
    return comma >= 0 && this.isNextLineEmpty(comma);
  }
}
