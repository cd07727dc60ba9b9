/** The store contract suite against the memory store and the JSON-file store. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonFileStore, MemoryStore } from "../../src/index.js";
import type { Store } from "../../src/store/types.js";
import { describeStoreContract, type ContractRecord } from "../store-contract.js";

describeStoreContract("MemoryStore", () => new MemoryStore<ContractRecord>());

describeStoreContract(
  "MemoryStore with indexes",
  () => new MemoryStore<ContractRecord>({ indexes: ["country", "age", "name"] }),
);

const tempFile = async () => {
  const dir = await mkdtemp(join(tmpdir(), "perstore-contract-"));
  return { path: join(dir, "data.json"), cleanup: () => rm(dir, { recursive: true, force: true }) };
};

describeStoreContract("JsonFileStore", async () => {
  const { path, cleanup } = await tempFile();
  return { store: new JsonFileStore<ContractRecord>({ path, indexes: ["country"] }), cleanup };
});

// Writes through one instance, reads through another on the same file: every
// read must notice the other instance's writes and reload, dates included.
describeStoreContract("JsonFileStore, read back by a second instance", async () => {
  const { path, cleanup } = await tempFile();
  const writer = new JsonFileStore<ContractRecord>({ path });
  const reader = new JsonFileStore<ContractRecord>({ path });
  const store: Store<ContractRecord> = {
    idProperty: "id",
    get: (id) => reader.get(id),
    query: (query, options) => reader.query(query, options),
    put: (object, options) => writer.put(object, options),
    add: (object, options) => writer.add(object, options),
    delete: (id) => writer.delete(id),
    on: (event, listener) => writer.on(event, listener),
  };
  return { store, cleanup };
});
