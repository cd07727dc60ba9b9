/**
 * defineModel / defineModels: Perstore's run-time models. The definition they
 * build equals what `perstore build` emits for the same schema; the shorthand
 * means what the README says; bad schemas fail at once with located SCHEMA_*
 * errors; where code generation is banned, defineModel says so at once.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import type { FromSchema } from "json-schema-to-ts";
import { describe, expect, expectTypeOf, it } from "vitest";
import { defineModel, defineModels, type RuntimeSchema } from "../../src/compiler/index.js";
import { SchemaErrors, ValidationError } from "../../src/errors/index.js";
import { ModelInstance } from "../../src/model/index.js";
import { MemoryStore } from "../../src/store/memory/index.js";
import { definitions } from "../../generated/index.js";
import { exampleSchemas } from "../model/defined-example-models.js";

const REPO = join(import.meta.dirname, "../..");

/** A definition's data: the functions (class, validator, predicates) left out. */
function dataOf(definition: object): unknown {
  return JSON.parse(
    JSON.stringify(definition, (_key, value: unknown) =>
      typeof value === "function" ? undefined : value,
    ),
  );
}

/** The codes and pointers of the SchemaErrors `fn` throws. */
function schemaErrors(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaErrors);
    return (error as SchemaErrors).errors.map((e) => `${e.code} ${e.pointer}`);
  }
  throw new Error("expected SchemaErrors");
}

describe("defineModel", () => {
  it("runs the seed's example: a prototype method with `this`, get, change, save", async () => {
    const store = new MemoryStore();
    const model = defineModel("Example", store, {
      properties: { foo: String },
      prototype: {
        getFoo() {
          return this.foo;
        },
      },
    });
    const created = await model.create({ foo: "foo" });
    const someObject = (await model.get(created.id!))!;
    expect(someObject.getFoo()).toBe("foo");
    someObject.foo = "bar";
    await someObject.save();
    expect(await store.get(created.id!)).toEqual({ id: created.id, foo: "bar" });
    expect(someObject).toBeInstanceOf(ModelInstance);
    expect(someObject.constructor.name).toBe("Example");
    expect(await someObject.delete()).toBe(true);
    expect(await model.get(created.id!)).toBeUndefined();
  });

  it("builds the definition perstore build emits, for every model of the example app", () => {
    const defined = defineModels(exampleSchemas());
    for (const [name, generated] of Object.entries(definitions)) {
      const runtime = (defined as unknown as Record<string, { definition: typeof generated }>)[
        name
      ]!.definition;
      expect(dataOf(runtime), name).toEqual(dataOf(generated));
      expect(runtime.instanceClass.name).toBe(generated.instanceClass.name);
      expect(Object.keys(runtime.queries ?? {})).toEqual(Object.keys(generated.queries ?? {}));
    }
  });

  it("validates as the generated validator does: same verdict, same errors", () => {
    const defined = defineModels(exampleSchemas());
    const samples: Record<string, unknown[]> = {
      Book: [
        { isbn: "9780000000001", title: "Dune", authorId: crypto.randomUUID(), status: "draft" },
        { isbn: "1", title: 3, status: "lost", genres: ["poetry", "cooking"], extra: true },
        { isbn: "9780000000001", title: "x", authorId: "nope", status: "draft", year: 1.5 },
      ],
      Employee: [
        {
          id: crypto.randomUUID(),
          firstName: "A",
          lastName: "B",
          email: "a@b.c",
          employerId: crypto.randomUUID(),
          jobTitle: "x",
        },
        { id: "x", firstName: "A", address: { city: "Paris", country: "France" }, salary: -1 },
      ],
      Company: [{ id: crypto.randomUUID(), name: "Acme", size: "huge", founded: "2020-13-01" }],
    };
    for (const [name, records] of Object.entries(samples)) {
      const compiled = definitions[name as keyof typeof definitions].validate;
      const runtime = (defined as Record<string, { definition: { validate: typeof compiled } }>)[
        name
      ]!.definition.validate;
      for (const record of records) {
        expect(runtime(record), `${name} ${JSON.stringify(record)}`).toBe(compiled(record));
        expect(runtime.errors ?? null).toEqual(compiled.errors ?? null);
      }
    }
  });

  it("reads Perstore's shorthand: String Number Boolean Date Array Object", async () => {
    const Event = defineModel("Event", undefined, {
      properties: {
        title: String,
        seats: Number,
        open: Boolean,
        startsAt: Date,
        tags: Array,
        venue: Object,
      },
      required: ["title"],
    });
    const event = await Event.create({
      title: "Launch",
      seats: 12.5,
      open: true,
      startsAt: "2030-01-01T10:00:00+01:00",
      tags: ["a", 1],
      venue: { city: "Paris" },
    });
    expect(event.startsAt).toBe("2030-01-01T09:00:00.000Z"); // a Date property is a date-time string, stored normalised
    const failed = await Event.create({
      title: 1,
      seats: "12",
      open: "yes",
      startsAt: "tomorrow",
      tags: {},
      venue: [],
    } as never).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ValidationError);
    expect(
      (failed as ValidationError).errors.map((e) => `${e.pointer} ${e.keyword}`).sort(),
    ).toEqual([
      "/open type",
      "/seats type",
      "/startsAt format",
      "/tags type",
      "/title type",
      "/venue type",
    ]);
    // Nested property schemas take shorthand too.
    const Place = defineModel("Place", undefined, {
      properties: { address: { type: "object", properties: { city: String } } },
    });
    await expect(Place.create({ address: { city: 3 } } as never)).rejects.toMatchObject({
      errors: [{ pointer: "/address/city", keyword: "type" }],
    });
  });

  it("refuses anything else, each problem at its pointer, before any store is touched", () => {
    expect(
      schemaErrors(() =>
        defineModel("Bad", undefined, {
          properties: { a: Map, b: Symbol, c: { type: "string", default: String } },
          prototype: { save() {}, ok() {}, notAFunction: 3 },
        } as never),
      ),
    ).toEqual([
      "SCHEMA_UNKNOWN_SHORTHAND /properties/a",
      "SCHEMA_UNKNOWN_SHORTHAND /properties/b",
      "SCHEMA_NOT_JSON /properties/c/default",
      "SCHEMA_RUNTIME_PROTOTYPE /prototype/save",
      "SCHEMA_RUNTIME_PROTOTYPE /prototype/notAFunction",
    ]);
    expect(
      schemaErrors(() => defineModel("Mixin", undefined, { prototype: "./mixin.ts" } as never)),
    ).toEqual(["SCHEMA_RUNTIME_PROTOTYPE /prototype"]);
    // The compiler's own checks, with the codes a schema file would get.
    expect(
      schemaErrors(() =>
        defineModels({
          Book: {
            properties: { id: String, authorId: String },
            links: [{ rel: "author", href: "Writer/{authorId}" }],
            queries: { byYear: "eq(year,$1)" },
            indexes: [{ fields: ["nope"] }],
          },
        }),
      ).map((e) => e.split(" ")[0]),
    ).toEqual(expect.arrayContaining(["SCHEMA_UNKNOWN_LINK_TARGET", "SCHEMA_UNKNOWN_INDEX_FIELD"]));
  });

  it("adds `id` (and type object) only when the schema names no primary key", async () => {
    const Keyed = defineModel("Keyed", undefined, {
      type: "object",
      primaryKey: "code",
      properties: { code: String, label: String },
    });
    const keyed = await Keyed.create({ code: "k1", label: "one" });
    expect(Object.keys(keyed).sort()).toEqual(["code", "label"]);
    expect(schemaErrors(() => defineModel("NoKey", undefined, { primaryKey: "code" }))).toEqual([
      "SCHEMA_UNKNOWN_PRIMARY_KEY /primaryKey",
    ]);
  });

  it("works over a store written to the original Perstore contract", async () => {
    // Perstore's store contract: put(object, id) answering the id, create(object), no add.
    const rows = new Map<string, object>();
    const legacy = {
      get: (id: string) => rows.get(id),
      put(object: { id?: string }, id?: string) {
        const key = id ?? object.id ?? `r${rows.size + 1}`;
        rows.set(key, { ...object, id: key });
        return key;
      },
      create(object: { id?: string }) {
        return this.put(object);
      },
      delete: (id: string) => void rows.delete(id),
    };
    const Note = defineModel("Note", legacy, { properties: { text: String } });
    const note = await Note.create({ text: "hi" });
    expect(rows.get(note.id!)).toEqual({ id: note.id, text: "hi" });
    await expect(Note.create({ text: 1 } as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it("links and sub-models between models defined together", async () => {
    const { Animal, Dog, Owner } = defineModels({
      Owner: { properties: { name: String }, links: [{ rel: "dogs", href: "Dog?ownerId={id}" }] },
      Animal: {
        properties: { name: String },
        required: ["name"],
        prototype: {
          describe() {
            return `${this.name} (${this.constructor.name})`;
          },
        },
      },
      Dog: {
        allOf: [{ $ref: "Animal" }],
        properties: { ownerId: String },
        links: [{ rel: "owner", href: "Owner/{ownerId}" }],
      },
    });
    const ann = await Owner.create({ name: "Ann" });
    const rex = await Dog.create({ name: "Rex", ownerId: ann.id });
    expect(rex.describe()).toBe("Rex (Dog)");
    expect(await rex.owner()).toMatchObject({ name: "Ann" });
    expect(await ann.dogs()).toHaveLength(1);
    await Animal.create({ name: "Tom" });
    expect((await Animal.query("sort(+name)")).map((a) => a.describe())).toEqual([
      "Rex (Dog)",
      "Tom (Animal)",
    ]);
    await expect(Dog.create({ ownerId: ann.id } as never)).rejects.toMatchObject({
      errors: [{ pointer: "/name", keyword: "required" }],
    });
  });

  it("types records from the schema, from a type argument, or from FromSchema", () => {
    const Shorthand = defineModel("Shorthand", undefined, {
      properties: { name: String, age: Number, born: Date },
      required: ["name"],
      prototype: {
        greet(greeting: string): string {
          return `${greeting}, ${this.name}`;
        },
      },
    });
    type Instance = Awaited<ReturnType<typeof Shorthand.create>>;
    expectTypeOf<Instance["name"]>().toEqualTypeOf<string>();
    expectTypeOf<Instance["age"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Instance["born"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Instance["greet"]>().parameters.toEqualTypeOf<[string]>();

    const schema = {
      type: "object",
      properties: {
        id: { type: "string" },
        title: { type: "string" },
        year: { type: "integer" },
      },
      required: ["id", "title"],
      additionalProperties: false,
    } as const;
    const Typed = defineModel<FromSchema<typeof schema>>("Typed", undefined, schema);
    type TypedInstance = Awaited<ReturnType<typeof Typed.create>>;
    expectTypeOf<TypedInstance["title"]>().toEqualTypeOf<string>();
    expectTypeOf<TypedInstance["year"]>().toEqualTypeOf<number | undefined>();
    // defineModels: links typed by their target, to-many by `?` or an array property; named queries; bases' parts.
    const { Employee } = defineModels({
      Person: {
        properties: { name: String },
        queries: { named: "eq(name,$1)" },
        prototype: {
          hi() {
            return this.name;
          },
        },
      },
      Employee: {
        allOf: [{ $ref: "Person" }],
        properties: { bossId: String, peerIds: { type: "array" } },
        links: [
          { rel: "boss", href: "Employee/{bossId}" },
          { rel: "peers", href: "Employee/{peerIds}" },
          { rel: "reports", href: "Employee?bossId={id}" },
        ],
      },
    });
    type Staff = Awaited<ReturnType<typeof Employee.create>>;
    expectTypeOf<Staff["name"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Staff["hi"]>().returns.toEqualTypeOf<string | undefined>();
    expectTypeOf<Awaited<ReturnType<Staff["boss"]>>>().toMatchTypeOf<
      { bossId?: string } | undefined
    >();
    expectTypeOf<Awaited<ReturnType<Staff["peers"]>>>().toBeArray();
    expectTypeOf<Awaited<ReturnType<Staff["reports"]>>>().toBeArray();
    expectTypeOf(Employee.queries.named).toBeFunction();
    const plain: RuntimeSchema = { properties: { anything: Object } };
    expect(() => defineModel("Plain", undefined, plain)).not.toThrow();
  });
});

/** Runs plain JavaScript (an ES module) in a child node, the TypeScript sources loaded through tsx; its last line of output, parsed. */
async function runScript(
  lines: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<any> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeFlags, "--import", "tsx", "--input-type=module", "--eval", lines.join("\n")],
    { cwd: REPO, timeout: 110_000 },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

const SEED_SCRIPT = [
  'import { defineModel } from "./src/compiler/define/index.ts";',
  "try {",
  '  const model = defineModel("Example", undefined, {',
  "    properties: { foo: String },",
  "    prototype: { getFoo: function () { return this.foo; } },",
  "  });",
  '  const created = await model.create({ foo: "bar" });',
  "  const someObject = await model.get(created.id);",
  "  console.log(JSON.stringify({ foo: someObject.getFoo() }));",
  "} catch (error) {",
  "  console.log(JSON.stringify({ code: error.code, message: error.message }));",
  "}",
];

describe("defineModel in a separate node process", () => {
  it("works from plain JavaScript", { timeout: 120_000 }, async () => {
    expect(await runScript(SEED_SCRIPT)).toEqual({ foo: "bar" });
  });

  it(
    "throws MODEL_CODE_GENERATION_DISALLOWED at once under --disallow-code-generation-from-strings",
    { timeout: 120_000 },
    async () => {
      const result = await runScript(SEED_SCRIPT, ["--disallow-code-generation-from-strings"]);
      expect(result.code).toBe("MODEL_CODE_GENERATION_DISALLOWED");
      expect(result.message).toContain("perstore build");
    },
  );
});
