import { describe, expect, it } from "vitest";
import { createModels, Person } from "../../generated/index.js";

// The example application's generated models on the runtime: the contract between the compiler and src/model.
describe("generated models on the model runtime", () => {
  it("create, mixins, named queries and a facet work on the memory store", async () => {
    const { Person: people } = createModels();
    const ada = await people.create({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      country: "UK",
    });
    expect(ada).toBeInstanceOf(Person);
    expect(ada.fullName()).toContain("Ada");
    await people.create({
      firstName: "Alan",
      lastName: "Turing",
      email: "alan@example.com",
      country: "UK",
      nickname: null,
    });
    expect((await people.queries.inCountry("UK")).map((p: Person) => p.lastName)).toEqual([
      "Lovelace",
      "Turing",
    ]);
    const alan = (await people.query("lastName=Turing"))[0]!;
    expect(alan.nickname).toBeNull();
    const directory = people.facet("directory");
    const seen = await directory.query("country=UK&sort(+lastName)&limit(10)");
    expect(seen.map((p: object) => "email" in p)).toEqual([false, false]);
    await expect(directory.query("country=UK")).rejects.toMatchObject({ code: "ACCESS_LIMIT" });
  });
});
