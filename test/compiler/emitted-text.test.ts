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
    expect(await emitted("refs", "order.validator.ts")).toContain("Validates an Order record");
    expect(await emitted("refs", "customer.ts")).toContain("/** A Customer record");
  });
});

describe("named-query parameter types", () => {
  it("use an enum property's literal union, lists as readonly arrays, and the property's TS type", async () => {
    const player = await emitted("links-and-queries", "player.ts");
    expect(player).toContain(
      'playingAs(position: "keeper" | "defender" | "forward"): Promise<Results<Player>>;',
    );
    expect(player).toContain(
      'inPositions(position: readonly ("keeper" | "defender" | "forward")[]): Promise<Results<Player>>;',
    );
    expect(player).toContain("ratedOneOf(rating: number, rating2: number)");
    expect(player).toContain("ratedBetween(rating: number, rating2: number)");
    expect(player).toContain("joinedSince(joinedAt: string | Date)");
    expect(player.replace(/\s+/g, " ")).toContain(
      '{ index: 1, type: "string", enum: ["keeper", "defender", "forward"], list: true }',
    );
  });
});

describe("sub-model named queries", () => {
  it("inherit the base's, typed with the sub-model, and let the sub-model override", async () => {
    const cat = await emitted("inheritance", "cat.ts");
    expect(cat).toContain("/** Named query `eq(name,$1)` (from Animal). */");
    expect(cat).toContain("named(name: string): Promise<Results<Cat>>;");
    expect(cat).toContain("outdoor(): Promise<Results<Cat>>;");
    const dog = await emitted("inheritance", "dog.ts");
    expect(dog).toContain("/** Named query `eq(name,$1)&sort(+breed)`. */");
    expect(dog).not.toContain("(from Animal)");
  });
});
