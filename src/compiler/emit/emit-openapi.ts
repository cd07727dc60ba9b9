/**
 * `openapi.ts`: the OpenAPI 3.1 document of the REST server (`perstore
 * serve`, `createHandler`) for the project's models: every endpoint, a schema
 * per model and per facet (hidden properties removed, read-only ones marked),
 * and the error shape; each record schema carries perstore's `x-perstore-*`
 * extensions (key, links, indexes, facets: openapi-extensions.ts) and its
 * nested objects' and arrays' structure. The server answers `GET
 * /openapi.json` with the part a caller's role may use (see
 * src/server/openapi-for-role.ts).
 */
import type { FieldType } from "../../query/ast.js";
import type { ModelIR, ProjectIR, PropertyIR } from "../ir/types.js";
import { emitTemplate } from "../templates.js";
import type { EmittedFile } from "./emitted-file.js";
import { modelExtensions } from "./openapi-extensions.js";
import { nestedSchema } from "./openapi-nested-schema.js";

type Json = Record<string, unknown>;

const ERROR_RESPONSES: Readonly<Record<string, string>> = {
  "400":
    "Invalid input: a validation error (with JSON pointers) or a query error (with its position)",
  "401": "No or unknown bearer token, and no anonymous role",
  "403": "The role's facet does not allow this",
  "404": "No such record",
  "409": "Conflict (the id or a unique value exists)",
  "412": "If-Match / If-None-Match failed",
  "413": "Body too large",
  "415": "The body is not JSON",
  "416": "Range not satisfiable",
};

export function emitOpenApi(ir: ProjectIR): EmittedFile[] {
  // The file around the document is templates/emit/openapi.ts.
  const contents = emitTemplate("openapi.ts", { document: JSON.stringify(openApiDocument(ir)) });
  return [{ path: "openapi.ts", source: "schemas/", contents }];
}

/** The whole document: every model, every facet. */
export function openApiDocument(ir: ProjectIR): Json {
  const schemas: Json = {
    Error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "perstore's stable error code" },
        message: { type: "string" },
        details: { type: "object" },
      },
    },
  };
  const paths: Json = {};
  for (const model of ir.models) {
    schemas[model.name] = {
      ...recordSchema(model, ir, new Set(), new Set()),
      ...modelExtensions(model, ir),
    };
    for (const facet of model.facets)
      schemas[`${model.name}.${facet.name}`] = {
        ...recordSchema(model, ir, new Set(facet.hidden), new Set(facet.readonly)),
        ...modelExtensions(model, ir, facet),
      };
    Object.assign(paths, modelPaths(model));
  }
  const responses: Json = {};
  for (const [status, description] of Object.entries(ERROR_RESPONSES))
    responses[`Error${status}`] = {
      description,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  return {
    openapi: "3.1.0",
    info: { title: "perstore models", version: "1" },
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      parameters: {
        Range: {
          name: "Range",
          in: "header",
          required: false,
          description: "A page: items=a-b (inclusive) or items=a-",
          schema: { type: "string", pattern: "^items=\\d+-\\d*$" },
        },
        IfMatch: { name: "If-Match", in: "header", required: false, schema: { type: "string" } },
        IfNoneMatch: {
          name: "If-None-Match",
          in: "header",
          required: false,
          schema: { type: "string" },
        },
      },
    },
    security: [{}, { bearer: [] }],
  };
}

function propertySchema(
  property: PropertyIR,
  model: ModelIR,
  ir: ProjectIR,
  readOnly: boolean,
): Json {
  // A nested object or array keeps its structure (a form is built from it).
  if (property.type === "object" || property.type === "array") {
    const schema = nestedSchema(property, model, ir);
    if (readOnly || property.readonly) schema.readOnly = true;
    return schema;
  }
  const schema: Json = typeSchema(property.type, property.format);
  if (property.nullable) schema.type = [schema.type ?? "string", "null"].flat();
  if (property.enum) schema.enum = property.enum;
  if (property.maxLength !== undefined) schema.maxLength = property.maxLength;
  if (property.minimum !== undefined) schema.minimum = property.minimum;
  if (property.maximum !== undefined) schema.maximum = property.maximum;
  if (property.default !== undefined) schema.default = property.default;
  if (readOnly || property.readonly) schema.readOnly = true;
  return schema;
}

function typeSchema(type: FieldType, format: string | undefined): Json {
  switch (type) {
    case "date-time":
      return { type: "string", format: "date-time" };
    case "date":
      return { type: "string", format: "date" };
    case "any":
      return {};
    default:
      return format === undefined ? { type } : { type, format };
  }
}

function recordSchema(
  model: ModelIR,
  ir: ProjectIR,
  hidden: ReadonlySet<string>,
  readonly: ReadonlySet<string>,
): Json {
  const visible = model.properties.filter((p) => !hidden.has(p.name));
  return {
    type: "object",
    properties: Object.fromEntries(
      visible.map((p) => [p.name, propertySchema(p, model, ir, readonly.has(p.name))]),
    ),
    required: visible.filter((p) => p.required).map((p) => p.name),
    ...(model.additionalProperties ? {} : { additionalProperties: false }),
  };
}

function modelPaths(model: ModelIR): Json {
  const record = { $ref: `#/components/schemas/${model.name}` };
  const json = (schema: Json) => ({ "application/json": { schema } });
  const errors = (...statuses: string[]) =>
    Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Error${s}` }]));
  const id = {
    name: "id",
    in: "path",
    required: true,
    description: `The record's ${model.primaryKey}`,
    schema: { type: "string" },
  };
  const tagged = (method: string, operation: Json) => ({
    ...operation,
    tags: [model.name],
    "x-perstore-method": method,
  });
  const paths: Json = {
    [`/${model.name}/`]: {
      "x-perstore-model": model.name,
      get: tagged("query", {
        operationId: `query${model.name}`,
        summary: `Query ${model.name} records: the raw query string is an RQL query`,
        parameters: [{ $ref: "#/components/parameters/Range" }],
        responses: {
          "200": {
            description: "Matching records (a result operator such as count() gives its value)",
            headers: { "Content-Range": { schema: { type: "string" } } },
            content: {
              ...json({ type: "array", items: record }),
              "text/event-stream": { schema: { type: "string" } },
            },
          },
          "204": { description: "The query's value is undefined (first() of nothing)" },
          "206": {
            description: "A page of matching records",
            headers: { "Content-Range": { schema: { type: "string" } } },
            content: json({ type: "array", items: record }),
          },
          ...errors("400", "401", "403", "416"),
        },
      }),
      post: tagged("create", {
        operationId: `create${model.name}`,
        summary: `Create a ${model.name}`,
        requestBody: { required: true, content: json(record) },
        responses: {
          "201": {
            description: "Created",
            headers: {
              Location: { schema: { type: "string" } },
              ETag: { schema: { type: "string" } },
            },
            content: json(record),
          },
          ...errors("400", "401", "403", "409", "413", "415"),
        },
      }),
    },
    [`/${model.name}/{id}`]: {
      "x-perstore-model": model.name,
      parameters: [id],
      get: tagged("get", {
        operationId: `get${model.name}`,
        responses: {
          "200": {
            description: "The record",
            headers: { ETag: { schema: { type: "string" } } },
            content: json(record),
          },
          ...errors("401", "403", "404"),
        },
      }),
      put: tagged("put", {
        operationId: `put${model.name}`,
        summary: "Replace (or create) the record; If-Match / If-None-Match: * make it conditional",
        parameters: [
          { $ref: "#/components/parameters/IfMatch" },
          { $ref: "#/components/parameters/IfNoneMatch" },
        ],
        requestBody: { required: true, content: json(record) },
        responses: {
          "200": { description: "Replaced", content: json(record) },
          "201": { description: "Created", content: json(record) },
          ...errors("400", "401", "403", "404", "409", "412", "413", "415"),
        },
      }),
      patch: tagged("patch", {
        operationId: `patch${model.name}`,
        summary: "Merge a JSON Merge Patch (RFC 7396) into the record",
        parameters: [{ $ref: "#/components/parameters/IfMatch" }],
        requestBody: {
          required: true,
          content: { "application/merge-patch+json": { schema: { type: "object" } } },
        },
        responses: {
          "200": { description: "Patched", content: json(record) },
          ...errors("400", "401", "403", "404", "412", "413", "415"),
        },
      }),
      delete: tagged("delete", {
        operationId: `delete${model.name}`,
        parameters: [{ $ref: "#/components/parameters/IfMatch" }],
        responses: { "204": { description: "Deleted" }, ...errors("401", "403", "404", "412") },
      }),
    },
    [`/${model.name}/_changes`]: {
      "x-perstore-model": model.name,
      post: tagged("changes", {
        operationId: `applyChanges${model.name}`,
        summary: "Apply a change set (update, condensed or replace mode) all or nothing",
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["mode"],
            properties: {
              mode: { enum: ["update", "condensed", "replace"] },
              changes: { type: "array" },
              records: { type: "array", items: record },
            },
          }),
        },
        responses: {
          "200": {
            description: "The ids the server assigned and the records as stored",
            content: json({
              type: "object",
              properties: { ids: { type: "object" }, records: { type: "array", items: record } },
            }),
          },
          ...errors("400", "401", "403", "409", "413", "415"),
        },
      }),
    },
  };
  for (const link of model.links) {
    const target = { $ref: `#/components/schemas/${link.target}` };
    paths[`/${model.name}/{id}/${link.rel}`] = {
      "x-perstore-model": model.name,
      "x-perstore-link": link.target,
      parameters: [id],
      get: tagged("get", {
        operationId: `get${model.name}${link.rel[0]!.toUpperCase()}${link.rel.slice(1)}`,
        summary: `Follow the link ${link.href}`,
        responses: {
          "200": {
            description: `The ${link.target} record${link.many ? "s" : ""}`,
            content: json(link.many ? { type: "array", items: target } : target),
          },
          ...errors("401", "403", "404"),
        },
      }),
    };
  }
  return paths;
}
