/**
 * Full-text bench: `search(words)` through `fullText` against what a user
 * would write by hand, on the same fixed-seed books, in one process.
 *   - over a MemoryStore (the wrapper's own minisearch index) vs minisearch
 *     used directly (search, order by score then id, take the page) -- target <= 1.5x;
 *   - over an SqlStore on PGlite with the generated tsvector column vs the
 *     same SELECT written by hand (`@@ plainto_tsquery`, `ts_rank`, the page
 *     and `count(*) over ()`) -- target <= 1.2x.
 * Every pair must give the same page and totalCount first, or the run fails.
 *
 *   npx tsx bench/wrappers-full-text.ts [--size 100000] [--quick]
 */
import { parseArgs } from "node:util";
import { sql, type Kysely } from "kysely";
import MiniSearch from "minisearch";
import { fullTextColumnSql } from "../src/compiler/emit/ddl/full-text-column.js";
import { searchTerms } from "../src/query/search-terms.js";
import { MemoryStore, openDatabase, SqlStore, fullText } from "../src/index.js";
import type { Results, SqlTableSpec } from "../src/index.js";
import { mulberry32 } from "./data.js";
import { measure, type MeasureOptions } from "./lib/measure.js";
import { BenchReport, row } from "./lib/report.js";

interface Book {
  id: string;
  title: string;
  summary: string;
  year: number;
}

const { values } = parseArgs({
  options: { size: { type: "string", default: "100000" }, quick: { type: "boolean" } },
});
const SIZE = Number(values.size);
const RUNS: MeasureOptions = values.quick
  ? { warmup: 1, iterations: 3 }
  : { warmup: 3, iterations: 9 };
/** Searches per timed run (memory / SQL), so one run is long enough to time on a busy machine. */
const REPEAT = values.quick ? 20 : 100;
const SQL_REPEAT = values.quick ? 5 : 20;
const PAGE = 20;

/** Runs `fn` `times` times in a row; gives the last result. */
async function repeat<R>(times: number, fn: () => R | Promise<R>): Promise<R> {
  let result = await fn();
  for (let i = 1; i < times; i++) result = await fn();
  return result;
}

/** A vocabulary of 4,000 made-up words; word i is drawn with weight 1/(i+10) (Zipf-like). */
function makeBooks(size: number): Book[] {
  const random = mulberry32(20240601);
  const syllables = ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "de", "an", "or", "el"];
  const vocabulary = Array.from({ length: 4000 }, (_, i) => {
    let word = "";
    for (let n = i + 1; n > 0; n = Math.floor(n / syllables.length))
      word += syllables[n % syllables.length];
    return word;
  });
  const weights = vocabulary.map((_, i) => 1 / (i + 10));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w / total), 0);
  const word = () => {
    const r = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  const words = (n: number) => Array.from({ length: n }, word).join(" ");
  return Array.from({ length: size }, (_, i) => ({
    id: `b${String(i).padStart(6, "0")}`,
    title: words(3 + Math.floor(random() * 4)),
    summary: `${words(8 + Math.floor(random() * 8))}.`,
    year: 1900 + Math.floor(random() * 125),
  }));
}

const spec: SqlTableSpec = {
  table: "bench_book",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "title", type: "string", sqlType: "text", nullable: false },
    { name: "summary", type: "string", sqlType: "text", nullable: false },
    { name: "year", type: "integer", sqlType: "integer", nullable: false },
  ],
  fullText: { column: "perstore_search", fields: ["title", "summary"], language: "simple" },
};
const FIELDS = ["title", "summary"];

type Page = { ids: string[]; totalCount: number };
const pageOf = (results: unknown): Page => ({
  ids: (results as Results<Book>).map((b) => b.id),
  totalCount: (results as Results<Book>).totalCount,
});

function same(label: string, a: Page, b: Page): void {
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    console.error(`${label}: the peers disagree\n  ${JSON.stringify(a)}\n  ${JSON.stringify(b)}`);
    process.exit(1);
  }
}

/** Picks a word matching about `share` of the books (by the minisearch index). */
function wordFor(books: readonly Book[], share: number): string {
  const counts = new Map<string, number>();
  for (const book of books.slice(0, 5000))
    for (const term of new Set(searchTerms(`${book.title} ${book.summary}`)))
      counts.set(term, (counts.get(term) ?? 0) + 1);
  let best = "";
  let distance = Infinity;
  for (const [term, count] of counts) {
    const d = Math.abs(count / 5000 - share);
    if (d < distance) [best, distance] = [term, d];
  }
  return best;
}

async function benchMemory(report: BenchReport, books: readonly Book[]): Promise<string[]> {
  // The peer: minisearch with the same terms, ordered by score then id, as the wrapper pages.
  const byId = new Map(books.map((b) => [b.id, b]));
  const buildPeer = () => {
    const search = new MiniSearch<Book>({
      fields: FIELDS,
      tokenize: searchTerms,
      searchOptions: { combineWith: "AND", prefix: false, fuzzy: false },
    });
    search.addAll(books);
    return search;
  };
  const peerBuild = await measure(() => undefined, buildPeer, { warmup: 0, iterations: 1 });
  const peer = peerBuild.result;
  const peerPage = (words: string, keep: (b: Book) => boolean = () => true): Page => {
    const hits = peer
      .search(words)
      .filter((hit) => keep(byId.get(hit.id as string)!))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      ids: hits.slice(0, PAGE).map((hit) => byId.get(hit.id as string)!.id),
      totalCount: hits.length,
    };
  };

  const store = new MemoryStore<Book>({ data: books.map((b) => ({ ...b })) });
  const wrapped = fullText(store, { fields: FIELDS });
  const ownBuild = await measure(
    () => fullText(store, { fields: FIELDS }),
    async (fresh) => {
      const found = await fresh.query!("search(nothing)");
      fresh.close();
      return found;
    },
    { warmup: 0, iterations: 1 },
  );

  const common = wordFor(books, 0.01);
  const rare = wordFor(books, 0.001);
  const cases: [string, string, () => Page][] = [
    [`search(${common})&limit(${PAGE})`, `"${common}" (~1% of records)`, () => peerPage(common)],
    [`search(${rare})&limit(${PAGE})`, `"${rare}" (~0.1%)`, () => peerPage(rare)],
    [
      `search(${common}%20${rare})&limit(${PAGE})`,
      `"${common} ${rare}" (both words)`,
      () => peerPage(`${common} ${rare}`),
    ],
    [
      `search(${common})&year>=2000&limit(${PAGE})`,
      `"${common}" and year >= 2000`,
      () => peerPage(common, (b) => b.year >= 2000),
    ],
  ];
  const rows = [row("index build: minisearch addAll", peerBuild, { ops: books.length })];
  rows.push(
    row("index build: fullText (first search)", ownBuild, {
      ops: books.length,
      baseline: peerBuild.median,
    }),
  );
  const ratios: number[] = [];
  const lines: string[] = [];
  for (const [query, label, direct] of cases) {
    same(label, pageOf(await wrapped.query!(query)), direct());
    const base = await measure(
      () => undefined,
      () => repeat(REPEAT, direct),
      RUNS,
    );
    const ours = await measure(
      () => undefined,
      () => repeat(REPEAT, () => wrapped.query!(query)),
      RUNS,
    );
    rows.push(
      row(`minisearch: ${label}`, base, {
        ops: REPEAT,
        note: `${base.result.totalCount} match`,
      }),
    );
    rows.push(row(`fullText(MemoryStore): ${label}`, ours, { ops: REPEAT, baseline: base.median }));
    ratios.push(ours.median / base.median);
    lines.push(`${label}: ${(ours.median / base.median).toFixed(2)}x`);
  }
  report.section(`Memory: search over ${books.length} books, page of ${PAGE}`, rows);
  // The target is the search itself; with another condition the wrapper also reads (copies) every hit through get().
  report.target({
    label: "fullText(MemoryStore) search vs minisearch directly (worst of the search-only cases)",
    value: Math.max(...ratios.slice(0, 3)),
    limit: 1.5,
    kind: "at most",
  });
  return lines;
}

async function benchSql(report: BenchReport, books: readonly Book[]): Promise<void> {
  const db: Kysely<any> = openDatabase("memory:");
  const columns = spec.columns.map((c) => sql`${sql.id(c.name)} ${sql.raw(c.sqlType)} not null`);
  await sql`create table bench_book (${sql.join(columns)}, perstore_search tsvector generated always as (${fullTextColumnSql(spec.fullText!)}) stored, primary key (id))`.execute(
    db,
  );
  const store = new SqlStore<Book>({ db, table: spec });
  for (let i = 0; i < books.length; i += 2000)
    await store.applyChangeSet({
      mode: "update",
      changes: books.slice(i, i + 2000).map((record) => ({ type: "add", id: record.id, record })),
    });
  await sql`create index bench_book_search_idx on bench_book using gin (perstore_search)`.execute(
    db,
  );
  await sql`analyze bench_book`.execute(db);
  const wrapped = fullText(store);
  const byHand = async (words: string, minYear?: number): Promise<Page> => {
    const query = sql`plainto_tsquery('simple', ${words})`;
    const year = minYear === undefined ? sql`` : sql` and year >= ${minYear}`;
    const { rows } = await sql<{
      id: string;
      total: string;
    }>`select id, title, summary, year, count(*) over () as total from bench_book where perstore_search @@ ${query}${year} order by ts_rank(perstore_search, ${query}) desc, id collate "C" limit ${PAGE}`.execute(
      db,
    );
    return { ids: rows.map((r) => r.id), totalCount: Number(rows[0]?.total ?? 0) };
  };
  const common = wordFor(books, 0.01);
  const rare = wordFor(books, 0.001);
  const cases: [string, string, () => Promise<Page>][] = [
    [`search(${common})&limit(${PAGE})`, `"${common}" (~1%)`, () => byHand(common)],
    [`search(${rare})&limit(${PAGE})`, `"${rare}" (~0.1%)`, () => byHand(rare)],
    [
      `search(${common})&year>=2000&limit(${PAGE})`,
      `"${common}" and year >= 2000`,
      () => byHand(common, 2000),
    ],
  ];
  const rows = [];
  const ratios: number[] = [];
  for (const [query, label, direct] of cases) {
    same(label, pageOf(await wrapped.query!(query)), await direct());
    const base = await measure(
      () => undefined,
      () => repeat(SQL_REPEAT, direct),
      RUNS,
    );
    const ours = await measure(
      () => undefined,
      () => repeat(SQL_REPEAT, () => wrapped.query!(query)),
      RUNS,
    );
    rows.push(
      row(`hand-written SQL: ${label}`, base, {
        ops: SQL_REPEAT,
        note: `${base.result.totalCount} match`,
      }),
    );
    rows.push(
      row(`fullText(SqlStore): ${label}`, ours, { ops: SQL_REPEAT, baseline: base.median }),
    );
    ratios.push(ours.median / base.median);
  }
  report.section(
    `PGlite: search over ${books.length} books (tsvector + GIN), page of ${PAGE}`,
    rows,
  );
  report.target({
    label: "fullText(SqlStore on PGlite) search vs hand-written tsvector SQL (worst case)",
    value: Math.max(...ratios),
    limit: 1.2,
    kind: "at most",
  });
  await db.destroy();
}

async function main(): Promise<void> {
  const started = performance.now();
  const books = makeBooks(SIZE);
  const report = new BenchReport("full-text search");
  console.log(`full-text bench: ${SIZE} books`);
  await benchMemory(report, books);
  await benchSql(report, books);
  console.log(`\n${report.markdown()}`);
  console.log(
    `\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s; targets ${report.allMet ? "all met" : "NOT all met"}`,
  );
}

await main();
