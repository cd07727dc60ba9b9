import { describe, expect, it } from "vitest";
import { emitDatabase } from "../../src/compiler/emit/emit-database.js";
import { model, project } from "./ddl/ir-fixture.js";

describe("emitDatabase", () => {
  it("types identity primary keys and defaulted columns as Generated<T>, imported from perstore", () => {
    const ir = project(
      model({
        name: "Counter",
        properties: [
          { name: "id", type: "integer", required: true },
          { name: "label", type: "string", required: true },
          { name: "step", type: "integer", required: true, default: 1 },
        ],
      }),
    );
    const [file] = emitDatabase(ir);
    expect(file!.contents).toBe(
      `import type { Generated } from "perstore-runtime";\n\n` +
        `/** Table \`counter\`. */\nexport interface CounterTable {\n` +
        `  "id": Generated<number>;\n  "label": string;\n  "step": Generated<number>;\n}\n\n` +
        `/** Every table, for \`Kysely<Database>\`. */\nexport interface Database {\n  "counter": CounterTable;\n}\n`,
    );
  });

  it("imports nothing when no column has a database default", () => {
    const ir = project(
      model({ name: "Tag", properties: [{ name: "id", type: "string", required: true }] }),
    );
    expect(emitDatabase(ir)[0]!.contents).not.toContain("import");
    expect(emitDatabase(ir)[0]!.contents).toContain(`"id": string;`);
  });
});
