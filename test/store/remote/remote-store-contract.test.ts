/**
 * The store contract suite against RemoteStore talking to a real server on
 * loopback, backed by a memory store and by the SQL store (PGlite; the
 * server database too when DATABASE_URL is set).
 */
import { afterAll } from "vitest";
import { describeStoreContract } from "../../store-contract.js";
import { innerStoreKinds, memoryKind } from "../../wrappers/inner-stores.js";
import { serveStore } from "./remote-fixture.js";

for (const kind of [
  memoryKind,
  ...innerStoreKinds().filter((k) => k.name.startsWith("SqlStore")),
]) {
  afterAll(() => kind.close());
  describeStoreContract(`RemoteStore over ${kind.name}`, async () => {
    const inner = await kind.make();
    const served = await serveStore(inner.store);
    return {
      store: served.store,
      cleanup: async () => {
        await served.cleanup();
        await inner.cleanup();
      },
    };
  });
}
