/**
 * fullText passes the store contract over every inner kind, and the wrapper
 * parity property (queries without search() answered as the bare store does).
 */
import { describe, it } from "vitest";
import { fullText } from "../../src/wrappers/full-text/index.js";
import { checkWrapperParity, parityTable, type Item } from "../parity/wrapper-parity.js";
import { describeWrapperContractOverStores, memoryKind } from "./inner-stores.js";

describeWrapperContractOverStores(
  "fullText",
  (inner) => fullText(inner, { fields: ["name", "country"] }),
  { requires: ["query"] },
);

describe("fullText parity", () => {
  it("answers queries as the bare store does", async () => {
    await checkWrapperParity({
      async make() {
        const inner = await memoryKind.make<Item>(parityTable);
        return {
          wrapped: fullText(inner.store, { fields: ["name", "note"] }),
          cleanup: inner.cleanup,
        };
      },
    });
  }, 120_000);
});
