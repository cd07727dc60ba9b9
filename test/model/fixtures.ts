/**
 * Hand-written model definitions shaped exactly like `perstore build`
 * output: data interfaces, classes extending ModelInstance with a mixin
 * method and link accessors, ajv validators, AST literals for named queries
 * and facet filters, and precompiled predicates.
 */
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Query } from "../../src/query/ast.js";
import type { Store } from "../../src/store/types.js";
import {
  createModelRegistry,
  ModelInstance,
  type ModelDefinition,
  type ModelValidateFunction,
} from "../../src/model/index.js";

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

function validator(schema: object): ModelValidateFunction {
  return ajv.compile(schema) as unknown as ModelValidateFunction;
}

/* ---------- Company ---------- */

export interface CompanyData {
  id?: string;
  name: string;
  country?: string;
}

export interface Company extends CompanyData {}
export class Company extends ModelInstance<CompanyData> {
  employees(): Promise<Person[]> {
    return this.$link("employees") as Promise<Person[]>;
  }
}

export const CompanyDefinition: ModelDefinition<CompanyData, Company> = {
  name: "Company",
  table: "company",
  primaryKey: "id",
  instanceClass: Company,
  validate: validator({
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string", minLength: 1 },
      country: { type: "string" },
    },
    required: ["id", "name"],
  }),
  defaults: {},
  readonlyProperties: [],
  additionalProperties: true,
  indexes: [{ name: "company_name_key", fields: ["name"], unique: true }],
  links: [
    {
      rel: "employees",
      href: "Person?employerId={id}",
      target: "Person",
      property: "id",
      targetProperty: "employerId",
      many: true,
    },
  ],
  querySchema: { primaryKey: "id", fields: { id: "string", name: "string", country: "string" } },
  queries: {},
  facets: {},
};

/* ---------- Person ---------- */

export interface PersonData {
  id?: string;
  name: string;
  email: string;
  age?: number;
  country?: string;
  active?: boolean;
  salary?: number;
  employerId?: string | null;
  friendIds?: string[];
  tags?: string[];
}

// The schema's `prototype` mixin module.
const mixin = {
  describe(this: Person, suffix = ""): string {
    return `${this.name} (${this.age ?? "?"})${suffix}`;
  },
};

export interface Person extends PersonData {}
export class Person extends ModelInstance<PersonData> {
  describe(
    this: Person,
    ...args: Parameters<typeof mixin.describe>
  ): ReturnType<typeof mixin.describe> {
    return mixin.describe.apply(this, args);
  }
  employer(): Promise<Company | undefined> {
    return this.$link("employer") as Promise<Company | undefined>;
  }
  friends(): Promise<Person[]> {
    return this.$link("friends") as Promise<Person[]>;
  }
}

export interface PersonQueries {
  adultsIn(country: string): Promise<Person[]>;
}

const activeFilter: Query = {
  kind: "query",
  filter: {
    kind: "condition",
    op: "eq",
    path: ["active"],
    value: { kind: "literal", value: true },
  },
  sort: [],
  distinct: false,
};

export const PersonDefinition: ModelDefinition<PersonData, Person, PersonQueries> = {
  name: "Person",
  table: "person",
  primaryKey: "id",
  instanceClass: Person,
  validate: validator({
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" },
      name: { type: "string", minLength: 1 },
      email: { type: "string", format: "email" },
      age: { type: "integer", minimum: 0 },
      country: { type: "string", enum: ["FR", "US", "IN"] },
      active: { type: "boolean" },
      salary: { type: "number" },
      employerId: { type: ["string", "null"] },
      friendIds: { type: "array", items: { type: "string" } },
      tags: { type: "array", items: { type: "string" } },
    },
    required: ["id", "name", "email"],
    additionalProperties: false,
  }),
  defaults: { country: "FR", active: true, tags: [] },
  nullableProperties: ["employerId"],
  readonlyProperties: ["email"],
  additionalProperties: false,
  indexes: [
    { name: "person_email_key", fields: ["email"], unique: true },
    { name: "person_country_idx", fields: ["country"], unique: false },
    { name: "person_age_idx", fields: ["age"], unique: false },
  ],
  links: [
    {
      rel: "employer",
      href: "Company/{employerId}",
      target: "Company",
      property: "employerId",
      targetProperty: "id",
      many: false,
    },
    {
      rel: "friends",
      href: "Person/{friendIds}",
      target: "Person",
      property: "friendIds",
      targetProperty: "id",
      many: true,
    },
  ],
  querySchema: {
    primaryKey: "id",
    fields: {
      id: "string",
      name: "string",
      email: "string",
      age: "integer",
      country: "string",
      active: "boolean",
      salary: "number",
      employerId: "string",
      friendIds: "array",
      tags: "array",
    },
  },
  queries: {
    adultsIn: {
      source: "ge(age,18)&eq(country,$1)&sort(+name)",
      query: {
        kind: "query",
        filter: {
          kind: "and",
          terms: [
            { kind: "condition", op: "ge", path: ["age"], value: { kind: "literal", value: 18 } },
            { kind: "condition", op: "eq", path: ["country"], value: { kind: "param", index: 1 } },
          ],
        },
        sort: [{ path: ["name"], descending: false }],
        distinct: false,
      },
      parameters: [{ index: 1, type: "string" }],
      predicate: function (record, parameters) {
        return (
          typeof record.age === "number" && record.age >= 18 && record.country === parameters[0]
        );
      },
    },
  },
  facets: {
    public: {
      methods: ["get", "query"],
      hidden: ["salary", "email"],
      readonly: [],
      filter: activeFilter,
      maxLimit: 10,
      operators: [
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "in",
        "and",
        "sort",
        "limit",
        "select",
        "values",
        "count",
      ],
      queries: ["adultsIn"],
    },
    editor: {
      methods: ["get", "query", "create", "put", "patch"],
      hidden: ["salary"],
      readonly: ["country"],
      filter: activeFilter,
      queries: ["adultsIn"],
    },
  },
};

export interface Stores {
  Company?: Store<any>;
  Person?: Store<any>;
}

/** The registry as `generated/index.ts`'s `createModels` builds it. */
export function createModels(options: { stores?: Stores } = {}) {
  return createModelRegistry({ Company: CompanyDefinition, Person: PersonDefinition }, options);
}
