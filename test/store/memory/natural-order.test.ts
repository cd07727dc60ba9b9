import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "perstore";

interface Row {
  id: number;
  c: string;
  n: number;
  [key: string]: unknown;
}

const ids = (rows: unknown): number[] => (rows as Row[]).map((row) => row.id);

function rows(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({ id: i, c: "abc"[i % 3]!, n: i % 4 }));
}

describe("memory store natural order", () => {
  it("puts records back in their place when a remove is rejected, with or without a scan in between", () => {
    for (const scanBetween of [false, true]) {
      const store = new MemoryStore<Row>({ indexes: ["c", "n"] });
      store.insert(rows(100));
      store.remove("n=1");
      store.delete(50);
      // A full scan compacts removed records away; the reject must then merge them back in order.
      if (scanBetween) expect(store.find()).toHaveLength(74);
      store.reject(2);
      expect(ids(store.find())).toEqual(rows(100).map((r) => r.id));
      expect(ids(store.query("c=a"))).toEqual(
        rows(100)
          .filter((r) => r.c === "a")
          .map((r) => r.id),
      );
      expect(ids(store.query("n=1"))).toEqual(
        rows(100)
          .filter((r) => r.n === 1)
          .map((r) => r.id),
      );
      store.put({ id: 1000, c: "a", n: 1 });
      expect(ids(store.query("c=a&n=1")).at(-1)).toBe(1000);
      expect(ids(store.find()).at(-1)).toBe(1000);
    }
  });

  it("keeps a changed record's place, and its new index bucket in natural order", () => {
    const store = new MemoryStore<Row>({ indexes: ["c"] });
    store.insert(rows(9));
    store.update({ c: "b" }, "id=0");
    expect(ids(store.query("c=b"))).toEqual([0, 1, 4, 7]);
    expect(ids(store.find())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    store.reject(1);
    expect(ids(store.query("c=b"))).toEqual([1, 4, 7]);
    expect(ids(store.query("c=a"))).toEqual([0, 3, 6]);
  });

  it("index buckets hand out the current record after a change of an unindexed field, and after its reject", () => {
    const store = new MemoryStore<Row>({ indexes: ["c", "n", { fields: ["c", "n"] }] });
    store.insert(rows(40));
    store.update({ note: "changed" }, "id=3");
    for (const query of ["c=a", "n=3", "c=a&n=3", "c=a&n>=3", "id=3"])
      expect((store.query(query) as Row[]).find((r) => r.id === 3)?.note, query).toBe("changed");
    store.reject(1);
    for (const query of ["c=a", "n=3", "c=a&n=3", "c=a&n>=3", "id=3"])
      expect(
        (store.query(query) as Row[]).find((r) => r.id === 3),
        query,
      ).toEqual(rows(40)[3]);
  });

  it("answers intersections and unions from the smallest term, in natural order", () => {
    const store = new MemoryStore<Row>({ indexes: ["c", "n", { fields: ["c", "n"] }] });
    const data = rows(600);
    store.insert(data);
    const expected = (test: (r: Row) => boolean) => data.filter(test).map((r) => r.id);
    // c=a holds 200 candidates, n=1 150, their intersection 50: no candidate outside it.
    expect(store.explain("c=a&n>=1&n<=1").candidates).toBe(50);
    expect(ids(store.query("c=a&n>=1&n<=1"))).toEqual(expected((r) => r.c === "a" && r.n === 1));
    expect(store.explain("c=a&n=1").plan.kind).toBe("compound");
    expect(ids(store.query("c=a&n=1"))).toEqual(expected((r) => r.c === "a" && r.n === 1));
    // A union of overlapping terms lists every record once, in natural order.
    expect(store.explain("c=a|n=1|id<10").candidates).toBe(
      expected((r) => r.c === "a" || r.n === 1 || r.id < 10).length,
    );
    expect(ids(store.query("c=a|n=1|id<10"))).toEqual(
      expected((r) => r.c === "a" || r.n === 1 || r.id < 10),
    );
    expect(ids(store.query("(c=a|c=b)&(n=0|n=3)&id>=300"))).toEqual(
      expected((r) => (r.c === "a" || r.c === "b") && (r.n === 0 || r.n === 3) && r.id >= 300),
    );
  });

  it("keeps records with unhashable values as candidates of every term of an intersection", () => {
    const store = new MemoryStore<Row>({ indexes: ["c", "n"] });
    store.insert(rows(30));
    store.put({ id: 100, c: ["a"] as never, n: { x: 1 } as never });
    store.put({ id: 101, c: "a", n: new Date(Number.NaN) as never });
    expect(ids(store.query("c=a&n>=0"))).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(store.explain("c=a&n>=0").candidates).toBe(12);
    expect(ids(store.query("contains(c,a)&n=in=(1,2)"))).toEqual([6, 9, 18, 21]);
  });

  it("matches a model under random writes, rejects and scans (property)", () => {
    type Op =
      | { kind: "add"; c: string; n: number }
      | { kind: "delete"; at: number }
      | { kind: "removeWhere"; c: string }
      | { kind: "update"; at: number; c: string; n: number }
      | { kind: "reject"; count: number }
      | { kind: "scan" };
    const c = fc.constantFrom("a", "b", "c");
    const n = fc.integer({ min: 0, max: 3 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), c, n }),
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat(50) }),
      fc.record({ kind: fc.constant("removeWhere" as const), c }),
      fc.record({ kind: fc.constant("update" as const), at: fc.nat(50), c, n }),
      fc.record({ kind: fc.constant("reject" as const), count: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("scan" as const) }),
    );
    const queries: [string, (r: Row) => boolean][] = [
      ["c=a", (r) => r.c === "a"],
      ["c=in=(a,b)", (r) => r.c === "a" || r.c === "b"],
      ["n>=2", (r) => r.n >= 2],
      ["c=b&n<2", (r) => r.c === "b" && r.n < 2],
      ["c=b|n=1", (r) => r.c === "b" || r.n === 1],
      ["c=c&n=3", (r) => r.c === "c" && r.n === 3],
      ["id<8", (r) => r.id < 8],
    ];
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const store = new MemoryStore<Row>({ indexes: ["c", "n", { fields: ["c", "n"] }] });
        let model: Row[] = rows(12);
        store.insert(model);
        store.commit();
        const undo: Row[][] = [];
        let nextId = 100;
        const journaled = (before: Row[], changed: boolean) => {
          if (changed) undo.push(before);
        };
        for (const step of ops) {
          const before = model.slice();
          switch (step.kind) {
            case "add":
              store.insert([{ id: nextId, c: step.c, n: step.n }]);
              model.push({ id: nextId++, c: step.c, n: step.n });
              undo.push(before);
              break;
            case "delete": {
              const row = model[step.at % Math.max(1, model.length)];
              if (!row) break;
              store.delete(row.id);
              model = model.filter((r) => r !== row);
              undo.push(before);
              break;
            }
            case "removeWhere": {
              const count = store.remove(`c=${step.c}`);
              model = model.filter((r) => r.c !== step.c);
              journaled(before, count > 0);
              break;
            }
            case "update": {
              const row = model[step.at % Math.max(1, model.length)];
              if (!row) break;
              store.update({ c: step.c, n: step.n, v: step.at }, `id=${row.id}`);
              model = model.map((r) =>
                r === row ? { ...r, c: step.c, n: step.n, v: step.at } : r,
              );
              undo.push(before);
              break;
            }
            case "reject": {
              const count = Math.min(step.count, undo.length);
              expect(store.reject(count)).toBe(count);
              for (let i = 0; i < count; i++) model = undo.pop()!;
              break;
            }
            case "scan":
              expect(ids(store.query("ne(x,1)"))).toEqual(model.map((r) => r.id));
              break;
          }
          for (const [query, test] of queries) {
            expect([...(store.query(query) as Row[])], query).toEqual(model.filter(test));
          }
        }
        expect([...store.find()]).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });
});
