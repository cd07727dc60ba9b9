/**
 * Parity: a RemoteStore over a loopback server answers every generated query
 * exactly as a bare MemoryStore holding the same records (records, order,
 * totalCount, aggregate values), over a memory store and over PGlite (and the
 * PostgreSQL server when DATABASE_URL is set).
 */
import { afterAll, describe, it } from "vitest";
import { checkWrapperParity, parityTable, type Item } from "../../parity/wrapper-parity.js";
import { querySchema } from "../../parity/parity-arbitraries.js";
import { innerStoreKinds, memoryKind } from "../../wrappers/inner-stores.js";
import { serveModelStore } from "./remote-fixture.js";

describe("RemoteStore parity", () => {
  for (const kind of [
    memoryKind,
    ...innerStoreKinds().filter((k) => k.name.startsWith("SqlStore")),
  ]) {
    afterAll(() => kind.close());
    it(`answers like the bare store, over ${kind.name}`, async () => {
      await checkWrapperParity({
        async make() {
          const inner = await kind.make<Item>(parityTable);
          const served = await serveModelStore<Item>(inner.store, { querySchema, name: "Item" });
          return {
            wrapped: served.store,
            cleanup: async () => {
              await served.cleanup();
              await inner.cleanup();
            },
          };
        },
        numRuns: Number(process.env.PARITY_RUNS ?? (kind === memoryKind ? 40 : 15)),
      });
    }, 180_000);
  }
});
