/** Hand-built compiler IR for DDL and migration tests (the shape `src/compiler/ir` produces). */
import type {
  IndexIR,
  LinkIR,
  ModelIR,
  ProjectIR,
  PropertyIR,
} from "../../../src/compiler/ir/types.js";

type PropertyInput = Partial<PropertyIR> & Pick<PropertyIR, "name" | "type">;

export function property(input: PropertyInput): PropertyIR {
  return {
    required: false,
    nullable: false,
    readonly: false,
    unique: false,
    indexed: false,
    pointer: `/properties/${input.name}`,
    ...input,
  };
}

export interface ModelInput {
  readonly name: string;
  readonly table?: string;
  readonly primaryKey?: string;
  readonly base?: string;
  readonly subModels?: readonly string[];
  readonly properties: readonly PropertyInput[];
  readonly indexes?: readonly Omit<IndexIR, "name">[];
  readonly links?: readonly LinkIR[];
}

export function model(input: ModelInput): ModelIR {
  const table = input.table ?? input.name.replace(/(?<=[a-z0-9])([A-Z])/g, "_$1").toLowerCase();
  const m: ModelIR = {
    name: input.name,
    file: `schemas/${table}.schema.json`,
    table,
    primaryKey: input.primaryKey ?? "id",
    subModels: input.subModels ?? [],
    schema: {},
    properties: input.properties.map(property),
    additionalProperties: false,
    indexes: (input.indexes ?? []).map((i) => ({
      ...i,
      name: `${table}_${i.fields.join("_")}_${i.unique ? "key" : "idx"}`,
    })),
    links: input.links ?? [],
    queries: [],
    facets: [],
  };
  return input.base === undefined ? m : { ...m, base: input.base };
}

export function project(...models: ModelIR[]): ProjectIR {
  return { models: [...models].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** A small library: authors, books (forward and reverse links), people with an Employee sub-model. */
export function libraryIR(): ProjectIR {
  const personProps: PropertyInput[] = [
    { name: "id", type: "string", format: "uuid", required: true },
    { name: "firstName", type: "string", maxLength: 80, required: true },
    { name: "email", type: "string", format: "email", required: true, unique: true },
    { name: "country", type: "string", indexed: true },
    { name: "nickname", type: "string", nullable: true },
  ];
  return project(
    model({
      name: "Author",
      properties: [
        { name: "id", type: "string", format: "uuid", required: true },
        { name: "name", type: "string", maxLength: 200, required: true },
        { name: "active", type: "boolean", default: true },
      ],
      links: [
        {
          rel: "books",
          href: "Book?authorId={id}",
          target: "Book",
          property: "id",
          targetProperty: "authorId",
          many: true,
        },
      ],
    }),
    model({
      name: "Book",
      primaryKey: "isbn",
      properties: [
        { name: "isbn", type: "string", required: true },
        { name: "title", type: "string", maxLength: 300, required: true },
        { name: "authorId", type: "string", format: "uuid", required: true },
        { name: "coAuthorIds", type: "array", items: { type: "string", format: "uuid" } },
        { name: "year", type: "integer", minimum: 1000, maximum: 3000 },
        { name: "price", type: "number", minimum: 0 },
        {
          name: "status",
          type: "string",
          enum: ["draft", "published"],
          default: "draft",
          required: true,
        },
        { name: "dimensions", type: "object" },
        { name: "publishedAt", type: "date-time", format: "date-time" },
      ],
      indexes: [
        { fields: ["authorId"], unique: false },
        { fields: ["title", "year"], unique: false },
      ],
      links: [
        {
          rel: "author",
          href: "Author/{authorId}",
          target: "Author",
          property: "authorId",
          targetProperty: "id",
          many: false,
        },
        {
          rel: "coAuthors",
          href: "Author/{coAuthorIds}",
          target: "Author",
          property: "coAuthorIds",
          targetProperty: "id",
          many: true,
        },
      ],
    }),
    model({ name: "Person", subModels: ["Employee"], properties: personProps }),
    model({
      name: "Employee",
      base: "Person",
      properties: [
        ...personProps.map((p) => ({ ...p, inheritedFrom: "Person" })),
        { name: "employerId", type: "string", format: "uuid", required: true },
        { name: "managerId", type: "string", format: "uuid", nullable: true },
        { name: "salary", type: "number" },
      ],
      links: [
        {
          rel: "manager",
          href: "Employee/{managerId}",
          target: "Employee",
          property: "managerId",
          targetProperty: "id",
          many: false,
        },
      ],
    }),
  );
}
