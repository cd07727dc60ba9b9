/**
 * A real server on loopback for RemoteStore tests: the contract record as a
 * model (permissive schema: the store contract, not validation, is under
 * test) over a given inner store, served by `createHandler` + `serveNode`.
 */
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import {
  createModelRegistry,
  ModelInstance,
  type ModelDefinition,
  type ModelValidateFunction,
} from "../../../src/model/index.js";
import { createHandler, hashToken, serveNode } from "../../../src/server/index.js";
import { RemoteStore } from "../../../src/store/remote/index.js";
import type { Store } from "../../../src/store/types.js";
import { contractQuerySchema, type ContractRecord } from "../../store-contract.js";

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

class Contract extends ModelInstance<ContractRecord> {}

export const contractDefinition: ModelDefinition<any, any> = {
  name: "Contract",
  primaryKey: "id",
  instanceClass: Contract,
  validate: ajv.compile({
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      age: { type: ["number", "null"] },
      country: { type: "string" },
      tags: { type: "array", items: { type: "string" } },
      createdAt: { type: "string", format: "date-time" },
      nested: { type: "object" },
    },
  }) as unknown as ModelValidateFunction,
  nullableProperties: ["age"],
  querySchema: contractQuerySchema,
};

export const TOKEN = "remote-contract-token";

/** Serves `inner` as the Contract model; the RemoteStore talks to it over loopback. */
export async function serveStore(inner: Store<any>) {
  const models = createModelRegistry(
    { Contract: contractDefinition },
    { stores: { Contract: inner } },
  );
  const handler = createHandler({
    models,
    access: {
      roles: { admin: { "*": "*" } },
      tokens: [{ role: "admin", sha256: await hashToken(TOKEN) }],
    },
  });
  const server = await serveNode(handler, { port: 0 });
  const store = new RemoteStore<ContractRecord>({
    url: `${server.url}/Contract/`,
    token: TOKEN,
    querySchema: contractQuerySchema,
    dates: "Date",
    timeout: 20_000,
  });
  return {
    store,
    server,
    cleanup: async () => {
      store.close();
      await server.close();
    },
  };
}
