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
import type { QuerySchema } from "../../../src/query/ast.js";
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
  return serveModelStore<ContractRecord>(inner, {
    name: "Contract",
    querySchema: contractQuerySchema,
    dates: "Date",
    definition: contractDefinition,
  });
}

/**
 * Serves `inner` as a model named `name` (by default one that accepts any
 * record: the store contract, not validation, is under test) on a loopback
 * server, and gives a RemoteStore over it.
 */
export async function serveModelStore<T extends object>(
  inner: Store<any>,
  options: {
    readonly name: string;
    readonly querySchema: QuerySchema;
    readonly dates?: "Date" | "string";
    readonly definition?: ModelDefinition<any, any>;
  },
) {
  const definition: ModelDefinition<any, any> = options.definition ?? {
    name: options.name,
    primaryKey: options.querySchema.primaryKey,
    instanceClass: class extends ModelInstance<any> {},
    validate: ajv.compile({ type: "object" }) as unknown as ModelValidateFunction,
    querySchema: options.querySchema,
  };
  const models = createModelRegistry(
    { [options.name]: definition },
    { stores: { [options.name]: inner } },
  );
  const handler = createHandler({
    models,
    access: {
      roles: { admin: { "*": "*" } },
      tokens: [{ role: "admin", sha256: await hashToken(TOKEN) }],
    },
  });
  const server = await serveNode(handler, { port: 0 });
  const store = new RemoteStore<T>({
    url: `${server.url}/${options.name}/`,
    token: TOKEN,
    idProperty: options.querySchema.primaryKey,
    querySchema: options.querySchema,
    dates: options.dates ?? "string",
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
