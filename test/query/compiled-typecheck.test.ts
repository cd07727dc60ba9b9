import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compileQuery } from "perstore";

const entry = fileURLToPath(new URL("../../src/index.js", import.meta.url));

describe("compiled predicate source", () => {
  it("type-checks under strict TypeScript as a CompiledPredicate importing only perstore helpers", () => {
    const queries = [
      "(name=Smith|age>=18)&country=in=(Canada,India)&province!=Quebec",
      "contains(kids,age=$1)&born<date:2000-01-01&name<%F0%9F%98%80&match(name,re:x)&between(a/b,(1,$2))",
      "in(a,(1,$1,null))&eq(constructor,1)&starts(name,$1)&isnull(x)&not(excludes(tags,b))&active=true&name=glob:a*",
      "",
    ];
    const files = new Map<string, string>();
    queries.forEach((q, i) => {
      const compiled = compileQuery(q);
      files.set(
        `/virtual/q${i}.ts`,
        `import { ${compiled.helpers.join(", ") || "type CompiledPredicate as _Unused"} } from ${JSON.stringify(entry)};\n` +
          `import type { CompiledPredicate } from ${JSON.stringify(entry)};\n` +
          `export const predicate: CompiledPredicate = ${compiled.source};\n`,
      );
    });
    // A negative control, so the check is known to catch an untyped comparison.
    files.set(
      "/virtual/control.ts",
      `import type { CompiledPredicate } from ${JSON.stringify(entry)};\n` +
        `export const predicate: CompiledPredicate = function (record, parameters) { return parameters[0] >= 18; };\n`,
    );
    const options: ts.CompilerOptions = {
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    host.readFile = (file) => files.get(file) ?? read(file);
    host.fileExists = (file) => files.has(file) || exists(file);
    const getSource = host.getSourceFile.bind(host);
    host.getSourceFile = (file, lang, ...rest) => {
      const text = files.get(file);
      return text !== undefined
        ? ts.createSourceFile(file, text, lang)
        : getSource(file, lang, ...rest);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    const control = ts.getPreEmitDiagnostics(program, program.getSourceFile("/virtual/control.ts"));
    expect(control.length).toBeGreaterThan(0);
    const diagnostics = [...files.keys()]
      .filter((f) => !f.endsWith("control.ts"))
      .flatMap((file) =>
        ts
          .getPreEmitDiagnostics(program, program.getSourceFile(file))
          .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
      );
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
