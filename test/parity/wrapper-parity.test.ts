/** The wrapper parity helper itself: a faithful wrapper passes, a wrong one is caught. */
import { describe, expect, it } from "vitest";
import type { Store } from "../../src/store/types.js";
import { innerStoreKinds } from "../wrappers/inner-stores.js";
import { checkWrapperParity, parityTable, type Item } from "./wrapper-parity.js";

describe("checkWrapperParity", () => {
  for (const kind of innerStoreKinds()) {
    it(`passes a store that answers like the bare one (${kind.name})`, async () => {
      try {
        const report = await checkWrapperParity({
          make: () =>
            kind.make<Item>(parityTable).then((s) => ({ wrapped: s.store, cleanup: s.cleanup })),
          numRuns: 25,
        });
        expect(report.runs).toBe(25);
      } finally {
        await kind.close();
      }
    }, 120_000);
  }

  it("catches a wrapper that loses totalCount or a record", async () => {
    const [memory] = innerStoreKinds();
    const lossy = (inner: Store<Item>): Store<Item> => ({
      idProperty: "id",
      put: (object, options) => inner.put!(object, options),
      async query(query, options) {
        const results = await inner.query!(query, options);
        if (!Array.isArray(results) || results.length === 0) return results;
        return Object.assign(results.slice(1), { totalCount: results.length - 1 });
      },
    });
    await expect(
      checkWrapperParity({
        make: () => memory!.make<Item>(parityTable).then((s) => ({ wrapped: lossy(s.store) })),
        numRuns: 50,
      }),
    ).rejects.toThrow(/Property failed/);
  });
});
