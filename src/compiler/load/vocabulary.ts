/**
 * perstore's schema keywords as an ajv vocabulary. Each keyword carries its
 * own meta-schema, so ajv accepts them in strict mode and rejects misuse; the
 * loader also checks whole model files against `perstoreMetaSchema` to report
 * every misuse with its location in one run.
 */
import type { KeywordDefinition } from "ajv";

const name = { type: "string", pattern: "^[A-Za-z_$][A-Za-z0-9_$]*$" } as const;
const names = { type: "array", items: { type: "string" }, uniqueItems: true } as const;
const query = {
  anyOf: [
    { type: "string" },
    { type: "object", properties: { field: { type: "string" }, join: { enum: ["and", "or"] } } },
  ],
} as const;

/** The meta-schema of each perstore keyword. */
export const keywordMetaSchemas = {
  primaryKey: { type: "string", minLength: 1 },
  indexes: {
    type: "array",
    items: {
      type: "object",
      properties: {
        fields: { type: "array", items: { type: "string" }, minItems: 1 },
        unique: { type: "boolean" },
      },
      required: ["fields"],
      additionalProperties: false,
    },
  },
  links: {
    type: "array",
    items: {
      type: "object",
      properties: { rel: name, href: { type: "string", minLength: 1 } },
      required: ["rel", "href"],
      additionalProperties: false,
    },
  },
  prototype: {
    anyOf: [
      { type: "string", minLength: 1 },
      {
        type: "object",
        properties: {
          module: { type: "string", minLength: 1 },
          exports: { type: "array", items: name },
        },
        required: ["module"],
        additionalProperties: false,
      },
    ],
  },
  queries: { type: "object", propertyNames: name, additionalProperties: query },
  facets: {
    type: "object",
    propertyNames: name,
    additionalProperties: {
      type: "object",
      properties: {
        methods: {
          type: "array",
          items: { enum: ["get", "query", "put", "add", "create", "patch", "delete", "save"] },
          uniqueItems: true,
        },
        hidden: names,
        readonly: names,
        filter: query,
        maxLimit: { type: "integer", minimum: 1 },
        operators: names,
        // Deny by default: the named queries the facet exposes; `reveals` acknowledges hidden ones a query reads.
        queries: {
          type: "array",
          items: {
            anyOf: [
              name,
              {
                type: "object",
                properties: { name, reveals: { ...names, minItems: 1 } },
                required: ["name", "reveals"],
                additionalProperties: false,
              },
            ],
          },
        },
      },
      required: ["methods"],
      additionalProperties: false,
    },
  },
  fullText: {
    type: "object",
    properties: {
      fields: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        uniqueItems: true,
      },
      language: { type: "string", pattern: "^[a-z_]+$" },
    },
    required: ["fields"],
    additionalProperties: false,
  },
  renamedFrom: { type: "string", minLength: 1 },
  readonly: { type: "boolean" },
  unique: { type: "boolean" },
  indexed: { type: "boolean" },
} as const;

export type PerstoreKeyword = keyof typeof keywordMetaSchemas;

/** The vocabulary to pass to `ajv.addVocabulary`: annotation keywords, each checked by its meta-schema. */
export const perstoreVocabulary: KeywordDefinition[] = Object.entries(keywordMetaSchemas).map(
  ([keyword, metaSchema]) => ({ keyword, metaSchema: metaSchema as object }),
);

/** A meta-schema for a whole model file: perstore keywords at the top and on properties. */
export const perstoreMetaSchema = {
  $id: "https://perstore.dev/meta/model",
  type: "object",
  properties: {
    primaryKey: keywordMetaSchemas.primaryKey,
    indexes: keywordMetaSchemas.indexes,
    links: keywordMetaSchemas.links,
    prototype: keywordMetaSchemas.prototype,
    queries: keywordMetaSchemas.queries,
    facets: keywordMetaSchemas.facets,
    fullText: keywordMetaSchemas.fullText,
    properties: {
      type: "object",
      additionalProperties: {
        // A boolean subschema (`"foo": true`) is valid JSON Schema and carries no perstore keyword.
        type: ["object", "boolean"],
        properties: {
          renamedFrom: keywordMetaSchemas.renamedFrom,
          readonly: keywordMetaSchemas.readonly,
          unique: keywordMetaSchemas.unique,
          indexed: keywordMetaSchemas.indexed,
        },
      },
    },
  },
} as const;
