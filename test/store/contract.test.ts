/** The store contract suite against the memory store and the JSON-file store. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JsonFileStore, MemoryStore } from "../../src/index.js";
import type { Store } from "../../src/store/types.js";
import {
  CONTRACT_METHODS,
  describeStoreContract,
  describeWrapperContract,
  restrictStore,
  wrapperCapabilityErrors,
  type ContractRecord,
} from "../store-contract.js";

describeStoreContract("MemoryStore", () => new MemoryStore<ContractRecord>());

describeStoreContract(
  "MemoryStore with indexes",
  () => new MemoryStore<ContractRecord>({ indexes: ["country", "age", "name"] }),
);

const tempFile = async () => {
  const dir = await mkdtemp(join(tmpdir(), "perstore-contract-"));
  return { path: join(dir, "data.json"), cleanup: () => rm(dir, { recursive: true, force: true }) };
};

// Both file formats: the log (the default) and the whole-file JSON array.
for (const format of ["log", "json"] as const) {
  describeStoreContract(`JsonFileStore (format ${format})`, async () => {
    const { path, cleanup } = await tempFile();
    return {
      store: new JsonFileStore<ContractRecord>({ path, format, indexes: ["country"] }),
      cleanup,
    };
  });

  // Writes through one instance, reads through another on the same file: every
  // read must notice the other instance's writes and reload, dates included.
  describeStoreContract(
    `JsonFileStore (format ${format}), read back by a second instance`,
    async () => {
      const { path, cleanup } = await tempFile();
      const writer = new JsonFileStore<ContractRecord>({ path, format });
      const reader = new JsonFileStore<ContractRecord>({ path, format });
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
    },
  );
}

// The suite itself, on a store without query, transaction or on: those tests skip, the rest use get.
describeStoreContract("MemoryStore seen through get/put/add/delete only", () =>
  restrictStore(new MemoryStore<ContractRecord>(), ["get", "put", "add", "delete"]),
);

// The wrapper suite, on the simplest wrapper: one that forwards what the inner store has.
describeWrapperContract("pass-through wrapper", (inner) => {
  const wrapper: Record<string, unknown> = { idProperty: inner.idProperty };
  for (const method of CONTRACT_METHODS) {
    const fn = inner[method];
    if (typeof fn === "function")
      wrapper[method] = (...args: unknown[]) =>
        (fn as (...a: unknown[]) => unknown).apply(inner, args);
  }
  return wrapper as Store<ContractRecord>;
});

describe("wrapperCapabilityErrors", () => {
  it("catches a wrapper that claims a method its store lacks, or drops one it has", async () => {
    const alwaysQueries = (inner: Store<ContractRecord>): Store<ContractRecord> => ({
      idProperty: "id",
      get: inner.get?.bind(inner),
      query: () => Object.assign([], { totalCount: 0 }),
    });
    const errors = await wrapperCapabilityErrors(
      alwaysQueries,
      () => new MemoryStore<ContractRecord>(),
    );
    expect(errors).toContain("over a store without query(), the wrapper has query()");
    expect(errors).toContain("over a store without get(), the wrapper lacks put()");
    // A method the wrapper declares it provides itself is not held against it.
    const provided = await wrapperCapabilityErrors(
      alwaysQueries,
      () => new MemoryStore<ContractRecord>(),
      ["query"],
    );
    expect(provided).not.toContain("over a store without query(), the wrapper has query()");
    expect(provided).toContain("over a store without get(), the wrapper lacks put()");
  });
});
