/**
 * The TypeScript declarations a model file is made of (imports, interfaces,
 * a class, type aliases, functions, a const), printed as text. The model
 * classes used to be ts-morph structures printed by `printStructure`; these
 * few shapes need no TypeScript compiler in the build (loading ts-morph cost
 * ~0.8 s of CPU per build). Blank lines fall where ts-morph put them (around
 * declarations with a body, between methods, after the imports), since
 * prettier keeps blank lines. Each declaration is written as prettier
 * prints it when it fits on its lines; `printDeclarations` says how many
 * leading lines are surely so (`preformattedLines`), so that only the
 * definition after them needs formatting (print-js.ts).
 */

export interface Parameter {
  readonly name: string;
  readonly type: string;
  readonly isRestParameter?: boolean;
}

export interface MethodDeclaration {
  readonly name: string;
  readonly docs?: readonly string[];
  readonly parameters?: readonly Parameter[];
  readonly returnType: string;
  readonly hasOverrideKeyword?: boolean;
  /** Body statements; none for a method signature. */
  readonly statements?: readonly string[];
}

export interface ImportDeclaration {
  readonly kind: "import";
  readonly moduleSpecifier: string;
  readonly isTypeOnly?: boolean;
  readonly namedImports?: readonly string[];
  readonly namespaceImport?: string;
}

interface Exported {
  readonly name: string;
  readonly isExported: boolean;
  readonly docs?: readonly string[];
}

export type Declaration =
  | ImportDeclaration
  | (Exported & {
      readonly kind: "interface";
      readonly extends?: readonly string[];
      readonly methods?: readonly MethodDeclaration[];
      readonly properties?: readonly { name: string; isReadonly?: boolean; type: string }[];
    })
  | (Exported & {
      readonly kind: "class";
      readonly extends?: string;
      readonly methods: readonly MethodDeclaration[];
    })
  | (Exported & { readonly kind: "type"; readonly type: string })
  | (Exported & {
      readonly kind: "function";
      readonly parameters: readonly Parameter[];
      readonly returnType: string;
      readonly statements: readonly string[];
    })
  | (Exported & { readonly kind: "const"; readonly type: string; readonly initializer: string });

/** A JSDoc comment at `indent`. */
function jsDoc(docs: readonly string[] | undefined, indent: string): string {
  return (docs ?? [])
    .map((doc) =>
      doc.includes("\n")
        ? `${indent}/**\n${doc
            .split("\n")
            .map((l) => `${indent} *${l === "" ? "" : ` ${l}`}`)
            .join("\n")}\n${indent} */\n`
        : `${indent}/** ${doc} */\n`,
    )
    .join("");
}

function parameters(list: readonly Parameter[] | undefined): string {
  return (list ?? [])
    .map((p) => `${p.isRestParameter ? "..." : ""}${p.name}: ${p.type}`)
    .join(", ");
}

function body(statements: readonly string[], indent: string): string {
  return statements.length === 0
    ? "{}"
    : `{\n${statements.map((s) => `${indent}  ${s}\n`).join("")}${indent}}`;
}

function method(m: MethodDeclaration): string {
  const signature = `  ${m.hasOverrideKeyword ? "override " : ""}${m.name}(${parameters(m.parameters)}): ${m.returnType}`;
  return (
    jsDoc(m.docs, "  ") +
    (m.statements === undefined ? `${signature};` : `${signature} ${body(m.statements, "  ")}`)
  );
}

function print(d: Declaration): string {
  if (d.kind === "import") {
    const names =
      d.namespaceImport !== undefined
        ? `* as ${d.namespaceImport}`
        : `{ ${(d.namedImports ?? []).join(", ")} }`;
    const line = `import ${d.isTypeOnly ? "type " : ""}${names} from ${JSON.stringify(d.moduleSpecifier)};`;
    // prettier's form of named imports too long for a line
    if (line.length <= 100 || d.namespaceImport !== undefined) return line;
    return `import ${d.isTypeOnly ? "type " : ""}{\n${(d.namedImports ?? []).map((n) => `  ${n},\n`).join("")}} from ${JSON.stringify(d.moduleSpecifier)};`;
  }
  const head = `${jsDoc(d.docs, "")}${d.isExported ? "export " : ""}`;
  switch (d.kind) {
    case "interface": {
      const members = [
        ...(d.properties ?? []).map(
          (p) => `  ${p.isReadonly ? "readonly " : ""}${p.name}: ${p.type};`,
        ),
        ...(d.methods ?? []).map(method),
      ];
      const extended = d.extends?.length ? ` extends ${d.extends.join(", ")}` : "";
      return `${head}interface ${d.name}${extended} ${members.length === 0 ? "{}" : `{\n${members.join("\n")}\n}`}`;
    }
    case "class": {
      const members = d.methods.map(method);
      const extended = d.extends !== undefined ? ` extends ${d.extends}` : "";
      return `${head}class ${d.name}${extended} ${members.length === 0 ? "{}" : `{\n${members.join("\n\n")}\n}`}`;
    }
    case "type":
      return `${head}type ${d.name} = ${d.type};`;
    case "function":
      return `${head}function ${d.name}(${parameters(d.parameters)}): ${d.returnType} ${body(d.statements, "")}`;
    case "const":
      return `${head}const ${d.name}: ${d.type} = ${d.initializer};`;
  }
}

/** Declarations with a body get a blank line before and after, as do the imports as a block. */
const hasBody = (d: Declaration): boolean =>
  d.kind === "interface" || d.kind === "class" || d.kind === "function";

/**
 * Whether prettier prints `text` (declarations as `print` writes them) as it
 * is: every line but a comment fits in 100 columns, no comment spans lines
 * (prettier re-indents those), no type has braces (object and mapped types
 * break by rules of their own), and no string has quotes or escapes.
 */
function asPrettierPrintsIt(text: string): boolean {
  return text
    .split("\n")
    .every(
      (line) =>
        /^\s*\/\*\*.*\*\/$/.test(line) ||
        (line.length <= 100 &&
          !/\/\*|\*\/|\\|'|`/.test(line) &&
          !(/^export type /.test(line) && /[{}]/.test(line)) &&
          !/"[^"]*[^\w$./{}?=-][^"]*"/.test(line)),
    );
}

/**
 * The declarations as a module's text, and how many of its leading lines
 * prettier would print as they are: every line before a final `const`
 * (whose initializer is left to the formatter), when they pass
 * `asPrettierPrintsIt`.
 */
export function printDeclarations(declarations: readonly Declaration[]): {
  text: string;
  preformattedLines?: number;
} {
  let text = "";
  let head: string | undefined;
  declarations.forEach((d, i) => {
    const before = declarations[i - 1];
    if (
      before !== undefined &&
      (hasBody(before) || hasBody(d) || (before.kind === "import") !== (d.kind === "import"))
    )
      text += "\n";
    if (i === declarations.length - 1 && d.kind === "const" && !text.endsWith("\n\n")) head = text;
    text += `${print(d)}\n`;
  });
  if (head === undefined || !asPrettierPrintsIt(head)) return { text };
  return { text, preformattedLines: head.split("\n").length - 1 };
}
