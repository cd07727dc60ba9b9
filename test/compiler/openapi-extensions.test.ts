/**
 * The OpenAPI document's perstore extensions on each record schema
 * (src/compiler/emit/openapi-extensions.ts): `x-perstore-key`, `-links`,
 * `-indexes`, `-facets`, and nested objects and arrays kept whole
 * (openapi-nested-schema.ts); a facet's schema tells nothing its facet hides.
 * Then the server's per-role document (src/server/openapi-for-role.ts) cuts
 * the links to those the role may follow.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, type CompileResult } from "perstore/compiler";
import { openApiDocument } from "../../src/compiler/emit/emit-openapi.js";
import { EDITOR_TOKEN, serveExample } from "../server/serve-fixture.js";

type Json = Record<string, any>;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-openapi-extensions-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function compiled(files: Record<string, unknown>): Promise<CompileResult> {
  const sources = Object.entries(files).map(([file, schema]) => ({
    file,
    text: JSON.stringify(schema, null, 2),
  }));
  return compile({ root, sources });
}

const warehouse = {
  title: "Warehouse",
  type: "object",
  properties: { id: { type: "string" }, name: { type: "string" } },
  $defs: {
    Place: {
      type: "object",
      properties: {
        city: { type: "string", indexed: true },
        country: { type: "string", minLength: 2, maxLength: 2 },
      },
      required: ["city"],
      additionalProperties: false,
    },
  },
  links: [{ rel: "parcels", href: "Parcel?warehouseId={id}" }],
};

const parcel = {
  title: "Parcel",
  type: "object",
  primaryKey: "code",
  properties: {
    code: { type: "string" },
    label: { type: "string" },
    secret: { type: "string" },
    trackingNo: { type: "string", unique: true },
    warehouseId: { type: "string" },
    watcherIds: { type: "array", items: { type: "string" } },
    sentAt: { type: "string", format: "date-time", readonly: true },
    from: { $ref: "warehouse.schema.json#/$defs/Place" },
    items: {
      type: "array",
      items: {
        type: "object",
        properties: { sku: { type: "string" }, count: { type: "integer", minimum: 1 } },
        required: ["sku"],
      },
    },
    tree: { $ref: "#/$defs/Node" },
  },
  required: ["code", "label"],
  additionalProperties: false,
  $defs: {
    Node: {
      type: "object",
      properties: {
        name: { type: "string" },
        children: { type: "array", items: { $ref: "#/$defs/Node" } },
      },
    },
  },
  indexes: [{ fields: ["label", "secret"] }, { fields: ["warehouseId"] }],
  fullText: { fields: ["label"] },
  links: [
    { rel: "warehouse", href: "Warehouse/{warehouseId}" },
    { rel: "watchers", href: "Warehouse/{watcherIds}" },
  ],
  facets: {
    counter: {
      methods: ["get", "query"],
      hidden: ["secret", "warehouseId"],
      readonly: ["label"],
      filter: "eq(secret,open)",
      maxLimit: 10,
    },
    desk: { methods: ["get", "put"], hidden: ["secret"], filter: "eq(label,x)" },
  },
};

describe("x-perstore-* extensions of the emitted OpenAPI document", () => {
  let document: Json;
  let schemas: Json;
  beforeAll(async () => {
    const result = await compiled({
      "warehouse.schema.json": warehouse,
      "parcel.schema.json": parcel,
    });
    document = openApiDocument(result.ir);
    schemas = document.components.schemas;
    // The emitted file is this document.
    const file = result.files.find((f) => f.path === "openapi.ts")!;
    expect(file.contents).toContain('"x-perstore-key": "code"');
  });

  it("is still valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it("names the model's key, its links (to-one, to-many) and indexes (unique, full text)", () => {
    const whole = schemas["Parcel"];
    expect(whole["x-perstore-model"]).toBe("Parcel");
    expect(whole["x-perstore-key"]).toBe("code");
    expect(whole["x-perstore-facet"]).toBeUndefined();
    expect(whole["x-perstore-links"]).toEqual([
      { rel: "warehouse", href: "Warehouse/{warehouseId}", target: "Warehouse", many: false },
      { rel: "watchers", href: "Warehouse/{watcherIds}", target: "Warehouse", many: true },
    ]);
    expect(whole["x-perstore-indexes"]).toEqual([
      { name: "parcel_label_secret_idx", fields: ["label", "secret"], unique: false },
      { name: "parcel_warehouseId_idx", fields: ["warehouseId"], unique: false },
      { name: "parcel_trackingNo_key", fields: ["trackingNo"], unique: true },
      {
        name: "parcel_perstore_search_idx",
        fields: ["label"],
        unique: false,
        fullText: "simple",
      },
    ]);
    expect(schemas["Warehouse"]["x-perstore-key"]).toBe("id");
    expect(schemas["Warehouse"]["x-perstore-links"]).toEqual([
      { rel: "parcels", href: "Parcel?warehouseId={id}", target: "Parcel", many: true },
    ]);
  });

  it("lists every facet, with what it hides and its filter, on the whole model's schema", () => {
    expect(schemas["Parcel"]["x-perstore-facets"]).toEqual([
      {
        name: "counter",
        methods: ["get", "query"],
        hidden: ["secret", "warehouseId"],
        readonly: ["label"],
        filtered: true,
        filter: "eq(secret,open)",
        maxLimit: 10,
        queries: [],
      },
      {
        name: "desk",
        methods: ["get", "put"],
        hidden: ["secret"],
        readonly: [],
        filtered: true,
        filter: "eq(label,x)",
        queries: [],
      },
    ]);
  });

  it("a facet's schema knows only its own facet, and nothing the facet hides", () => {
    const counter = schemas["Parcel.counter"];
    expect(counter["x-perstore-facet"]).toBe("counter");
    // The filter reads a hidden property: the facet is said to be filtered, not how.
    expect(counter["x-perstore-facets"]).toEqual([
      {
        name: "counter",
        methods: ["get", "query"],
        readonly: ["label"],
        filtered: true,
        maxLimit: 10,
        queries: [],
      },
    ]);
    // Indexes and links naming a hidden property are gone.
    expect(counter["x-perstore-indexes"].map((i: Json) => i.name)).toEqual([
      "parcel_trackingNo_key",
      "parcel_perstore_search_idx",
    ]);
    expect(counter["x-perstore-links"].map((l: Json) => l.rel)).toEqual(["watchers"]);
    const text = JSON.stringify(counter);
    for (const hidden of ["secret", "warehouseId", "desk"]) expect(text).not.toContain(hidden);
    expect(schemas["Parcel.desk"]["x-perstore-facets"]).toEqual([
      {
        name: "desk",
        methods: ["get", "put"],
        readonly: [],
        filtered: true,
        filter: "eq(label,x)",
        queries: [],
      },
    ]);
  });

  it("keeps nested objects and arrays whole: $refs resolved, readOnly, perstore keywords left out", () => {
    const properties = schemas["Parcel"].properties;
    expect(properties.from).toEqual({
      type: "object",
      properties: {
        city: { type: "string" },
        country: { type: "string", minLength: 2, maxLength: 2 },
      },
      required: ["city"],
      additionalProperties: false,
    });
    expect(properties.items).toEqual({
      type: "array",
      items: {
        type: "object",
        properties: { sku: { type: "string" }, count: { type: "integer", minimum: 1 } },
        required: ["sku"],
      },
    });
    expect(properties.watcherIds).toEqual({ type: "array", items: { type: "string" } });
    expect(properties.sentAt).toEqual({ type: "string", format: "date-time", readOnly: true });
    expect(schemas["Parcel.counter"].properties.label.readOnly).toBe(true);
    // A recursive schema stops at its first repeat (any value there).
    expect(properties.tree).toEqual({
      type: "object",
      properties: { name: { type: "string" }, children: { type: "array", items: {} } },
    });
  });
});

describe("the per-role document (GET /openapi.json)", () => {
  it("keeps only the links the role may follow, and the facet's own extensions", async () => {
    const { call } = await serveExample();
    const editor = (await (
      await call("GET", "/openapi.json", { token: EDITOR_TOKEN })
    ).json()) as Json;
    const book = editor.components.schemas["Book.editor"];
    // The editor sees Author whole, not Review.
    expect(book["x-perstore-links"].map((l: Json) => l.rel)).toEqual(["author", "coAuthors"]);
    expect(book["x-perstore-facets"].map((f: Json) => f.name)).toEqual(["editor"]);
    expect(editor.components.schemas["Author"]["x-perstore-links"]).toEqual([
      { rel: "books", href: "Book?authorId={id}", target: "Book", many: true },
    ]);
    const reader = (await (await call("GET", "/openapi.json")).json()) as Json;
    const catalog = reader.components.schemas["Book.catalog"];
    expect(catalog["x-perstore-links"]).toEqual([]);
    expect(catalog["x-perstore-key"]).toBe("isbn");
    expect(JSON.stringify(reader)).not.toContain("price");
  });
});
