/** The wrapper harness itself: a pass-through wrapper passes the contract over every inner kind. */
import { describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors/index.js";
import type { Store } from "../../src/store/types.js";
import {
  CONTRACT_METHODS,
  wrapperCapabilityErrors,
  type ContractRecord,
} from "../store-contract.js";
import { contractTable, describeWrapperContractOverStores, memoryKind } from "./inner-stores.js";

/** Forwards every method the inner store has. */
function passThrough(inner: Store<ContractRecord>): Store<ContractRecord> {
  const wrapper: Record<string, unknown> = { idProperty: inner.idProperty };
  for (const method of CONTRACT_METHODS) {
    const fn = inner[method];
    if (typeof fn === "function")
      wrapper[method] = (...args: unknown[]) =>
        (fn as (...a: unknown[]) => unknown).apply(inner, args);
  }
  return wrapper as Store<ContractRecord>;
}

describeWrapperContractOverStores("pass-through", passThrough);

describe("wrapper harness", () => {
  it("gives a wrapper more stores of the same kind through another(), each cleaned up", async () => {
    const made: Store<ContractRecord>[] = [];
    const errors = await wrapperCapabilityErrors(
      async (inner, context) => {
        made.push(await context.another(["name"]));
        return passThrough(inner);
      },
      (columns) => memoryKind.make(contractTable(columns)),
    );
    expect(errors).toEqual([]);
    expect(made).toHaveLength(CONTRACT_METHODS.length);
  });

  it("holds a wrapper that needs a method to failing at construction with a coded error", async () => {
    const needsGet = (inner: Store<ContractRecord>) => {
      if (typeof inner.get !== "function")
        throw new StoreError("WRAPPER_NEEDS_GET", "the inner store has no get");
      return passThrough(inner);
    };
    const make = () => memoryKind.make(contractTable());
    expect(await wrapperCapabilityErrors(needsGet, make, [], ["get"])).toEqual([]);
    expect(await wrapperCapabilityErrors(passThrough, make, [], ["get"])).toEqual([
      "over a store without get(), building the wrapper does not fail with a coded PerstoreError",
    ]);
  });
});
