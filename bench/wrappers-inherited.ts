/**
 * inherited(base, subs): a base query with sort and a deep page over three
 * stores (a base and two sub-types, a third of the records each) against the
 * same records in one store. Both must give the same page, or the run fails.
 * Target (issue 8): the three-store query at most 2x the one-store query.
 *
 *   npx tsx bench/wrappers-inherited.ts [--size 100000] [--queries 20]
 */
import { parseArgs } from "node:util";
import { inherited, MemoryStore, type Results, type Store } from "../src/index.js";
import { generatePeople, type Person } from "./data.js";
import { measure } from "./lib/measure.js";
import { BenchReport, row } from "./lib/report.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "100000" },
    queries: { type: "string", default: "20" },
  },
});
const size = Number(values.size);
const queries = Number(values.queries);

type Row = Person & { perstore_type?: string };
const TYPES = [undefined, "Employee", "Contractor"] as const;
const QUERIES = [
  "sort(+age,-name)&limit(50,1000)",
  "country=Canada&sort(-age,+name)&limit(20,200)",
];

const people: Row[] = generatePeople(size).map((p, i) => {
  const type = TYPES[i % 3];
  return type === undefined ? p : { ...p, perstore_type: type };
});
const one = new MemoryStore<Row>();
const parts = TYPES.map(() => new MemoryStore<Row>());
for (const [i, p] of people.entries()) {
  one.insert([p]);
  parts[i % 3]!.insert([p]);
}
const three: Store<Row> = inherited<Row>(parts[0]!, { Employee: parts[1]!, Contractor: parts[2]! });

const page = async (store: Store<Row>, q: string) => (await store.query!(q)) as Results<Row>;
for (const q of QUERIES) {
  const [a, b] = [await page(one, q), await page(three, q)];
  if (JSON.stringify(a) !== JSON.stringify(b) || a.totalCount !== b.totalCount)
    throw new Error(`inherited and one store disagree on ${q}`);
}

const report = new BenchReport("inherited");
for (const q of QUERIES) {
  const run = (store: Store<Row>) =>
    measure(
      () => undefined,
      async () => {
        for (let i = 0; i < queries; i++) await page(store, q);
      },
    );
  const single = await run(one);
  const merged = await run(three);
  report.section(`${q}, ${size} records, ${queries} queries per run`, [
    row("one MemoryStore", single, { ops: queries, baseline: single.median }),
    row("inherited over 3 MemoryStores", merged, { ops: queries, baseline: single.median }),
  ]);
  report.target({
    label: `inherited / one store: ${q}`,
    value: merged.median / single.median,
    limit: 2,
    kind: "at most",
  });
}
console.log(`\n${report.markdown()}`);
if (!report.allMet) process.exitCode = 1;
