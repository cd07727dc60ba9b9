/**
 * A studio over run-time models (defineModels) made for the record form: a
 * Shipment with a date, date-times (one read-only), a nested object, arrays
 * of enum values, of strings and of objects, an index and a facet; its
 * OpenAPI document is the one `perstore build` would emit for the same schema
 * (openApiDocument of the same IR). Tokens: admin (everything) and clerk (the
 * clerk facet: no cost, title read-only, no create or delete).
 */
import { defineModels, irOfSchemas } from "../../src/compiler/index.js";
import { openApiDocument } from "../../src/compiler/emit/emit-openapi.js";
import { createHandler, hashToken, serveNode } from "../../src/server/index.js";
import { withStudio } from "../../src/studio/index.js";

export const FORMS_ADMIN = "forms-admin-token";
export const FORMS_CLERK = "forms-clerk-token";

export const shipmentSchema = {
  type: "object",
  primaryKey: "code",
  properties: {
    code: { type: "string", pattern: "^S[0-9]+$" },
    title: { type: "string", maxLength: 40 },
    status: { type: "string", enum: ["open", "packed", "sent"] },
    shipOn: { type: "string", format: "date" },
    departsAt: { type: "string", format: "date-time" },
    createdAt: { type: "string", format: "date-time", readonly: true },
    cost: { type: "number", minimum: 0 },
    size: {
      type: "object",
      properties: {
        lengthCm: { type: "number", minimum: 1 },
        widthCm: { type: "number", minimum: 1 },
      },
      additionalProperties: false,
    },
    labels: { type: "array", items: { type: "string", enum: ["fragile", "cold", "urgent"] } },
    notes: { type: "array", items: { type: "string", maxLength: 10 } },
    lines: {
      type: "array",
      items: {
        type: "object",
        properties: {
          sku: { type: "string" },
          quantity: { type: "integer", minimum: 1 },
          packedAt: { type: "string", format: "date-time" },
        },
        required: ["sku", "quantity"],
        additionalProperties: false,
      },
    },
  },
  required: ["code", "title"],
  additionalProperties: false,
  indexes: [{ fields: ["status", "shipOn"] }, { fields: ["cost"] }],
  facets: {
    clerk: { methods: ["get", "query", "put"], hidden: ["cost"], readonly: ["title"] },
  },
} as const;

export async function startFormsStudio(assetsDir: string) {
  const schemas = { Shipment: shipmentSchema };
  const models = defineModels(schemas);
  const openapi = openApiDocument(irOfSchemas(schemas));
  const handler = createHandler({
    models: models as never,
    openapi,
    access: {
      roles: { admin: { "*": "*" }, clerk: { Shipment: "clerk" } },
      tokens: [
        { role: "admin", sha256: await hashToken(FORMS_ADMIN) },
        { role: "clerk", sha256: await hashToken(FORMS_CLERK) },
      ],
    },
  });
  const server = await serveNode(withStudio(handler, { assetsDir }), { port: 0 });
  return { models, openapi, url: server.url, close: () => server.close() };
}
