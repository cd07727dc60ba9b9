import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, ValidationError, type PerstoreError } from "../../src/errors/index.js";
import { JsonFileStore } from "../../src/store/json-file/json-file-store.js";
import { Company, createModels, Person } from "./fixtures.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-model-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function open() {
  return createModels({
    stores: {
      Person: new JsonFileStore({
        path: join(dir, "people.json"),
        indexes: [{ fields: ["email"], unique: true }, "country"],
      }),
      Company: new JsonFileStore({ path: join(dir, "companies.json") }),
    },
  });
}

describe("Model on JsonFileStore", () => {
  it("creates, saves, patches and deletes, persisted across reopen", async () => {
    const first = open();
    await first.Company.create({ id: "acme", name: "Acme" });
    const ann = await first.Person.create({
      name: "Ann",
      email: "ann@example.com",
      age: 30,
      employerId: "acme",
    });
    ann.age = 31;
    await ann.save();
    await first.Person.patch(ann.id!, { tags: ["x"] });
    const gone = await first.Person.create({ name: "Gone", email: "gone@example.com" });
    expect(await gone.delete()).toBe(true);
    // Read back by a fresh store (the file is a log: a snapshot and one line per write).
    expect(await new JsonFileStore({ path: join(dir, "people.json") }).query("")).toHaveLength(1);

    const second = open();
    const again = await second.Person.get(ann.id!);
    expect(again).toBeInstanceOf(Person);
    expect([again?.age, again?.tags, again?.country]).toEqual([31, ["x"], "FR"]);
    expect(again?.describe()).toBe("Ann (31)");
    expect(await again!.employer()).toBeInstanceOf(Company);
    expect((await second.Person.queries.adultsIn("FR")).map((p) => p.name)).toEqual(["Ann"]);
  });

  it("refused writes leave the file as it was", async () => {
    const models = open();
    const ann = await models.Person.create({ name: "Ann", email: "ann@example.com" });
    const before = await readFile(join(dir, "people.json"), "utf8");
    await expect(
      models.Person.create({ name: "Twin", email: "ann@example.com" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(models.Person.patch(ann.id!, { age: -1 })).rejects.toBeInstanceOf(ValidationError);
    ann.email = "new@example.com";
    await expect(ann.save()).rejects.toMatchObject({ code: "MODEL_READONLY" });
    expect(await readFile(join(dir, "people.json"), "utf8")).toBe(before);
  });

  it("facets restrict a file-backed model the same way", async () => {
    const models = open();
    const ann = await models.Person.create({
      name: "Ann",
      email: "ann@example.com",
      age: 30,
      salary: 9,
    });
    await models.Person.create({ name: "Off", email: "off@example.com", age: 30, active: false });
    const view = models.Person.facet("public");
    const found = await view.query("age=30&limit(5)");
    expect(found.map((p) => p.name)).toEqual(["Ann"]);
    expect("salary" in found[0]!).toBe(false);
    const code = await found[0]!.save().then(
      () => "saved",
      (error: PerstoreError) => error.code,
    );
    expect(code).toBe("ACCESS_METHOD");
    expect((await models.Person.get(ann.id!))?.salary).toBe(9);
  });
});
