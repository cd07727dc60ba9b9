import { describe, expect, it } from "vitest";
import { validateBook } from "../../generated/book.validator.js";
import { validatePerson } from "../../generated/person.validator.js";
import { BookDefinition } from "../../generated/book.js";
import { PersonDefinition } from "../../generated/person.js";

const person = {
  id: "8f7c1a52-7a43-4c5e-9a57-2a6fb9e1c0d1",
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.org",
};

describe("generated validators", () => {
  it("accept valid records and report every error of invalid ones", () => {
    expect(validatePerson(person)).toBe(true);
    expect(
      validatePerson({ ...person, email: "not-an-email", id: "nope", birthDate: "1815-13-40" }),
    ).toBe(false);
    const pointers = validatePerson.errors!.map((e) => e.instancePath).sort();
    expect(pointers).toEqual(["/birthDate", "/email", "/id"]);
  });

  it("enforce additionalProperties, enums, patterns and nested objects", () => {
    const book = { isbn: "9780000000001", title: "Dune", authorId: person.id, status: "published" };
    expect(validateBook(book)).toBe(true);
    expect(validateBook({ ...book, extra: 1 })).toBe(false);
    expect(validateBook({ ...book, status: "lost" })).toBe(false);
    expect(validateBook({ ...book, isbn: "123" })).toBe(false);
    expect(validateBook({ ...book, dimensions: { pages: 0 } })).toBe(false);
    expect(validateBook({ ...book, dimensions: { pages: 412 } })).toBe(true);
  });
});

describe("generated named-query predicates", () => {
  it("run ahead-of-time compiled predicates with parameters", () => {
    const q = BookDefinition.queries!["publishedBetween"]!;
    expect(q.parameters.map((p) => p.type)).toEqual(["integer", "integer"]);
    expect(q.predicate!({ year: 1965 }, [1900, 1970])).toBe(true);
    expect(q.predicate!({ year: 1965 }, [1900, 1950])).toBe(false);
    expect(q.predicate!({}, [1900, 1950])).toBe(false);
    const byGenre = BookDefinition.queries!["byGenre"]!;
    expect(byGenre.predicate!({ genres: ["fiction", "poetry"] }, ["poetry"])).toBe(true);
    expect(byGenre.predicate!({ genres: ["science"] }, ["poetry"])).toBe(false);
    const inCountry = PersonDefinition.queries!["inCountry"]!;
    expect(inCountry.predicate!({ country: "GB" }, ["GB"])).toBe(true);
    expect(inCountry.predicate!({ country: "FR" }, ["GB"])).toBe(false);
  });

  it("carry facets and the SQL table spec", () => {
    expect(BookDefinition.facets!["catalog"]).toMatchObject({
      methods: ["get", "query"],
      hidden: ["price"],
      maxLimit: 50,
    });
    expect(BookDefinition.sql).toMatchObject({ table: "book", primaryKey: "isbn" });
    expect(PersonDefinition.sql!.discriminator).toMatchObject({
      column: "perstore_type",
      values: ["Employee", "Person"],
    });
  });
});
