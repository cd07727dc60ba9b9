/**
 * Parity for store wrappers: a wrapped store must answer every generated query
 * exactly as a bare MemoryStore holding the same records does (same records,
 * same order when sorted, same totalCount, same aggregate values).
 *
 *   it("answers like the bare store", () =>
 *     checkWrapperParity({
 *       async make() {
 *         const inner = await kind.make<Item>(parityTable);
 *         return { wrapped: cache(inner.store), cleanup: inner.cleanup };
 *       },
 *     }), 120_000);
 *
 * `make` is called once per generated case and must give a fresh, EMPTY
 * wrapped store for `Item` records (id property `id`); over an SQL store use
 * `parityTable` (each case gets a fresh table from the inner-store kinds).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import type { Store } from "../../src/store/types.js";
import type { InnerTable } from "../wrappers/inner-stores.js";
import {
  itemsArb,
  PARAMETERS,
  queryArb,
  querySchema,
  spec,
  type Item,
} from "./parity-arbitraries.js";
import { comparable, parityQueryText, settle } from "./parity-compare.js";

export type { Item } from "./parity-arbitraries.js";

/** The table an SQL inner store needs to hold `Item`s (pass it to `kind.make`). */
export const parityTable: InnerTable = { spec, querySchema, dates: "string" };

/** One generated case's stores. */
export interface ParityStores {
  /** The store under test. */
  readonly wrapped: Store<Item>;
  /** The reference; default a fresh MemoryStore. */
  readonly bare?: Store<Item>;
  readonly cleanup?: () => Promise<void> | void;
}

export interface WrapperParityOptions {
  /** Fresh, empty stores for one generated case. */
  make(): Promise<ParityStores> | ParityStores;
  /** How the records get into the wrapped store; default `put` each one. */
  load?(wrapped: Store<Item>, items: readonly Item[]): Promise<void>;
  /**
   * Error codes the wrapper may answer with where the bare store answers
   * (a query it refuses rather than answer wrongly). At most half the cases
   * may be refused, so the property still means something.
   */
  readonly refusals?: readonly string[];
  /** Default: PARITY_RUNS from the environment, else 50. */
  readonly numRuns?: number;
}

/** What a parity run saw (for tests that want to check their own coverage). */
export interface WrapperParityReport {
  readonly runs: number;
  /** Refused cases by error code. */
  readonly refused: ReadonlyMap<string, number>;
}

/** Runs the wrapper parity property; fails the calling test on the first difference. */
export async function checkWrapperParity(
  options: WrapperParityOptions,
): Promise<WrapperParityReport> {
  let runs = 0;
  const refused = new Map<string, number>();
  const failures = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(itemsArb, queryArb, async (items, q) => {
      runs++;
      const stores = await options.make();
      try {
        const bare = stores.bare ?? new MemoryStore<Item>({ idProperty: "id" });
        for (const item of items) await bare.put!(item);
        if (options.load !== undefined) await options.load(stores.wrapped, items);
        else for (const item of items) await stores.wrapped.put!(item);
        const shape = parityQueryText(q);
        const queryOptions = { parameters: PARAMETERS };
        const expected = await settle(() => bare.query!(shape.text, queryOptions));
        const actual = await settle(() => stores.wrapped.query!(shape.text, queryOptions));
        if (!actual.ok && expected.ok && (options.refusals ?? []).includes(actual.code)) {
          refused.set(actual.code, (refused.get(actual.code) ?? 0) + 1);
          return;
        }
        expect(comparable(actual, shape), `wrapped vs bare for ${shape.text}`).toEqual(
          comparable(expected, shape),
        );
        if (!expected.ok) failures.set(expected.code, (failures.get(expected.code) ?? 0) + 1);
      } finally {
        await stores.cleanup?.();
      }
    }),
    { numRuns: options.numRuns ?? Number(process.env.PARITY_RUNS ?? 50) },
  );
  // The property means something only if most queries ran (rather than both failing alike, or refused).
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  expect(failed, JSON.stringify([...failures])).toBeLessThan(runs / 10 + 1);
  const refusedCount = [...refused.values()].reduce((a, b) => a + b, 0);
  expect(refusedCount, JSON.stringify([...refused])).toBeLessThanOrEqual(runs / 2);
  return { runs, refused };
}
