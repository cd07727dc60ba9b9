import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const config = fileURLToPath(new URL("./tsconfig.generated.json", import.meta.url));

describe("generated TypeScript", () => {
  it("type-checks together with the schemas' mixins and the type tests, in one program", () => {
    const read = ts.readConfigFile(config, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(
      read.config,
      ts.sys,
      fileURLToPath(new URL(".", import.meta.url)),
    );
    const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
    const ours = (f: string | undefined) =>
      f !== undefined && /\/(generated|schemas|test\/compiler\/fixtures)\//.test(f);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || ours(d.file.fileName));
    const text = diagnostics.map(
      (d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
    expect(text).toEqual([]);
    expect(parsed.fileNames.some((f) => f.endsWith("generated/index.ts"))).toBe(true);
  }, 180_000);
});
