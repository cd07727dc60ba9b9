/**
 * RemoteStore checks its input by the rules every store keeps before it sends
 * anything: records and ids, text no store can hold (storable-text.ts), page
 * options (page-options.ts) and query syntax fail with the same codes as on a
 * MemoryStore, and no request leaves the process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/store/memory/index.js";
import { RemoteStore } from "../../../src/store/remote/index.js";
import type { QueryOptions, Store } from "../../../src/store/types.js";
import { contractQuerySchema } from "../../store-contract.js";
import { serveModelStore, TOKEN } from "./remote-fixture.js";

type Row = Record<string, unknown>;

let served: Awaited<ReturnType<typeof serveModelStore<Row>>>;
let remote: RemoteStore<Row>;
let requests = 0;

beforeAll(async () => {
  served = await serveModelStore<Row>(new MemoryStore<Row>({ idProperty: "id" }), {
    name: "Thing",
    querySchema: contractQuerySchema,
  });
  remote = new RemoteStore<Row>({
    url: `${served.server.url}/Thing/`,
    token: TOKEN,
    timeout: 20_000,
    // The real fetch, counted: these checks must not need the server.
    fetch: (input, init) => {
      requests++;
      return fetch(input, init);
    },
  });
  await remote.put({ id: "kept", name: "Kept" });
});
afterAll(async () => {
  remote?.close();
  await served?.cleanup();
});

/** What a call ends in: its value, or its error's class and code. */
async function outcome(call: () => unknown): Promise<unknown> {
  try {
    const value = await call();
    return { value };
  } catch (error) {
    const { name, code } = error as { name: string; code: string };
    return { name, code };
  }
}

const cases: readonly [string, (store: Store<Row>) => unknown][] = [
  ["put: U+0000 in the id", (s) => s.put!({ id: "a\u0000b", name: "x" })],
  ["put: a lone surrogate in a value", (s) => s.put!({ id: "ok1", name: "\uD800" })],
  ["put: U+0000 in a nested property name", (s) => s.put!({ id: "ok2", nested: { "k\u0000": 1 } })],
  ["put: an id given as an option with U+0000", (s) => s.put!({ name: "x" }, { id: "\u0000" })],
  ["put: an array is no record", (s) => s.put!([] as never)],
  ["put: an object id", (s) => s.put!({ id: {} as never, name: "x" })],
  ["add: a lone surrogate in a value", (s) => s.add!({ id: "ok3", name: "\uDC00" })],
  ["add: no id and U+0000 in a value", (s) => s.add!({ name: "\u0000" })],
  ["get: an id holding U+0000 names no record", (s) => s.get!("\u0000")],
  ["get: a lone surrogate id names no record", (s) => s.get!("\uD800")],
  ["delete: an id holding U+0000 deletes nothing", (s) => s.delete!("k\u0000")],
  ["query: a syntax error", (s) => s.query!("eq(name,")],
  ["query: U+0000 in a parameter", (s) => s.query!("name=$1", { parameters: ["\u0000"] })],
  ["query: a lone surrogate in a JSON query", (s) => s.query!({ name: "\uD800" } as never)],
  ["query: start < 0", (s) => s.query!("", { start: -1 })],
  ["query: start Infinity", (s) => s.query!("", { start: Infinity })],
  ["query: end NaN", (s) => s.query!("", { end: Number.NaN })],
  ["query: start as text", (s) => s.query!("", { start: "1" } as unknown as QueryOptions)],
];

describe("RemoteStore refuses bad input as every store does, without a round trip", () => {
  for (const [name, call] of cases) {
    it(name, async () => {
      const memory = new MemoryStore<Row>({ idProperty: "id" });
      await memory.put({ id: "kept", name: "Kept" });
      const expected = await outcome(() => call(memory));
      const before = requests;
      const got = await outcome(() => call(remote));
      expect(got).toEqual(expected);
      expect(requests - before).toBe(0);
    });
  }

  it("nothing was written; good input still goes through", async () => {
    const all = (await remote.query("sort(+id)")) as Row[];
    expect(all.map((row) => row.id)).toEqual(["kept"]);
    const page = (await remote.query("sort(+id)", { start: 0, end: Infinity })) as Row[];
    expect(page.map((row) => row.id)).toEqual(["kept"]);
    const floored = (await remote.query("sort(+id)", { start: 0.5, end: 1.9 })) as Row[];
    expect(floored.map((row) => row.id)).toEqual(["kept"]);
  });
});
