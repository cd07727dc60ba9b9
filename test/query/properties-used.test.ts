import { describe, expect, it } from "vitest";
import { parseQuery } from "../../src/query/index.js";
import { propertiesUsed } from "../../src/query/properties-used.js";

describe("propertiesUsed", () => {
  it.each([
    ["lt(birthDate,$1)&sort(+lastName)&select(id)", ["birthDate", "id", "lastName"]],
    ["(a=1|not(b/c=2))&contains(kids,age=1)", ["a", "b", "kids"]],
    ["values(x)", ["x"]],
    ["sum(price)", ["price"]],
    ["recurse(parent)", ["parent"]],
    // After aggregate(), sort and select name its outputs, not record properties.
    ["aggregate(country,sum(salary))&sort(-sum_salary)&select(country)", ["country", "salary"]],
    ["search(hello)", []],
    ["", []],
  ])("%s", (source, expected) => {
    expect(propertiesUsed(parseQuery(source))).toEqual(expected);
  });

  it("reads JSON queries too", () => {
    expect(
      propertiesUsed(
        parseQuery({
          join: "or",
          terms: [
            { field: "email", compare: "ends", value: "@x.org" },
            { field: "age", compare: "gt", value: 3 },
          ],
        }),
      ),
    ).toEqual(["age", "email"]);
  });
});
