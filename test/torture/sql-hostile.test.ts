/**
 * Torture: hostile strings (quotes, backslashes, `$1`, `--`, `;drop table`,
 * E'' escapes, LIKE wildcards, unicode, identifiers) in every SQL position —
 * ids, values, nested jsonb keys, query values (RQL and JSON, equality,
 * substring, prefix, suffix, membership), parameters, sort, select and
 * nested-path field names, and table and column names — on PGlite, and on the
 * server when DATABASE_URL is set. A canary table must survive unchanged, the
 * only errors allowed are PerstoreErrors, written text must read back exactly
 * (or be refused: U+0000 and lone surrogates), and every query must give the
 * records a MemoryStore gives for the same data. TORTURE_SCALE (default 1)
 * multiplies the generated strings; the figures are printed.
 */
import { isDeepStrictEqual } from "node:util";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerstoreError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import { isStorableText } from "../../src/store/storable-text.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { QueryInput, QueryOptions, Results } from "../../src/store/types.js";
import {
  createTable,
  openTestDatabase,
  testTargets,
  type TestDatabase,
} from "../store/sql/sql-test-db.js";

const SCALE = Math.max(1, Number(process.env.TORTURE_SCALE ?? 1) || 1);
/** Generous: the cases take a few seconds, but the machine may be shared with other suites. */
const TIMEOUT = 120_000 * SCALE;

/** Written by hand: what an attacker tries first. */
const FIXED = [
  "'",
  "''",
  '"',
  "\\",
  "\\'",
  "\\\\'",
  "$1",
  "$2::text",
  "$$",
  "$tag$ x $tag$",
  "--",
  "/*",
  "*/",
  "; drop table canary; --",
  "'); drop table canary; --",
  '"; drop table "canary"; --',
  "' or '1'='1",
  "1 or 1=1",
  "E'\\x27'",
  "E'\\''; delete from canary; --",
  "\\x27",
  "%",
  "_",
  "%_\\%",
  "*",
  "?",
  "(",
  ")",
  ",",
  "&",
  "=",
  "|",
  "/",
  "a/b",
  "~1~0",
  "%27",
  "%00",
  "${x}",
  "`",
  "\n\r\t",
  "é",
  "😀",
  "\u202e",
  "\ufeff",
  "\u2028",
  "ʼ",
  "＇",
  "\uFFFD",
  "pg_catalog.pg_user",
  "canary",
  'public."canary"',
  "x".repeat(5000),
  "a\u0000b",
  "\uD800",
  "\uDC00x",
  "",
  " ",
];

const FRAGMENTS = [
  "'",
  '"',
  "\\",
  "$1",
  "--",
  ";",
  "%",
  "_",
  "E'",
  "drop table canary",
  "é",
  "😀",
  "/",
  "(",
  ")",
  ",",
];

/** Strings made from fragments by a seeded generator (the same every run). */
function generated(count: number): string[] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts = 1 + Math.floor(next() * 5);
    let text = "";
    for (let p = 0; p < parts; p++) text += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
    out.push(text);
  }
  return out;
}

const HOSTILE = [...FIXED, ...generated(16 * SCALE)];

/**
 * Known: PGlite's protocol parser decodes every field with a default
 * `TextDecoder`, which strips a leading U+FEFF (it takes it for a byte-order
 * mark), so a text value starting with U+FEFF reads back without it on PGlite
 * (the database holds it; the server through pg reads it back exactly).
 */
const losesBom = (target: string, text: string) => target === "pglite" && text.startsWith("\uFEFF");

/** RQL text for a value: percent-encoded, RQL's own punctuation too (raw when it cannot be encoded). */
function rql(text: string): string {
  try {
    return encodeURIComponent(text).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    return text;
  }
}

interface Row {
  id: string;
  name: string | null;
  tags: string[] | null;
  nested: Record<string, unknown> | null;
}

const spec: SqlTableSpec = {
  table: "hostile",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: true },
    { name: "tags", type: "array", sqlType: "text[]", nullable: true },
    { name: "nested", type: "object", sqlType: "jsonb", nullable: true },
  ],
};

/** Hostile identifiers: a table and a column named like an injection. */
const hostileSpec: SqlTableSpec = {
  table: `t"; drop table canary; --`,
  primaryKey: `id'$1--`,
  columns: [
    { name: `id'$1--`, type: "string", sqlType: "text", nullable: false },
    { name: `v" text); drop table canary; --`, type: "string", sqlType: "text", nullable: true },
  ],
};

for (const target of testTargets()) {
  describe(`hostile strings in every SQL position on ${target.name}`, () => {
    let database: TestDatabase;
    let db: Kysely<any>;
    let store: SqlStore<Row>;
    const memory = new MemoryStore<Row>();
    const figures = {
      strings: HOSTILE.length,
      cases: 0,
      refused: 0,
      knownBom: 0,
      failures: [] as string[],
    };

    const canary = async () =>
      (
        await sql<{
          id: number;
          secret: string;
        }>`select * from ${sql.id(database.schema, "canary")} order by id`.execute(db)
      ).rows;
    const tables = async () =>
      (
        await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = ${database.schema} order by 1`.execute(
          db,
        )
      ).rows.map((r) => r.name);

    beforeAll(async () => {
      database = await openTestDatabase(target, "hostile");
      db = database.db;
      await sql`create table ${sql.id(database.schema, "canary")} (id int primary key, secret text not null)`.execute(
        db,
      );
      await sql`insert into ${sql.id(database.schema, "canary")} values (1, 'tweet')`.execute(db);
      await createTable(db, database.schema, spec);
      store = new SqlStore<Row>({ db, table: spec, schema: database.schema });
    }, TIMEOUT);
    afterAll(async () => {
      console.info(
        `sql-hostile on ${target.name}: ${figures.strings} strings, ${figures.cases} cases, ${figures.refused} refused as expected, ${figures.knownBom} known leading-U+FEFF losses, ${figures.failures.length} failures`,
      );
      for (const failure of figures.failures.slice(0, 50))
        console.info(`  ${failure.slice(0, 400)}`);
      await database?.close();
    }, TIMEOUT);

    /** Runs one case: the only error allowed is a PerstoreError; returns the value or the error. */
    const attempt = async <R>(
      what: string,
      fn: () => R | Promise<R>,
    ): Promise<R | PerstoreError> => {
      figures.cases++;
      try {
        return await fn();
      } catch (error) {
        if (error instanceof PerstoreError) return error;
        figures.failures.push(`${what}: ${String(error)}`);
        return error as PerstoreError;
      }
    };
    const fail = (what: string, detail: unknown) =>
      figures.failures.push(`${what}: ${JSON.stringify(detail)}`);

    it(
      "stores and reads back hostile ids, values and nested keys exactly, or refuses them",
      async () => {
        for (const [i, text] of HOSTILE.entries()) {
          const storable = isStorableText(text);
          const row: Row = {
            id: `r${i}`,
            name: text,
            tags: [text, "x"],
            nested: { a: i, [text]: text },
          };
          for (const [what, write] of [
            ["value", row],
            ["id", { id: text, name: "by id", tags: null, nested: null }],
          ] as const) {
            const put = await attempt(`put ${what} ${JSON.stringify(text)}`, () =>
              store.put(write),
            );
            if (!storable) {
              figures.refused++;
              if (!(put instanceof PerstoreError) || put.code !== "VALIDATION_FAILED")
                fail(`unstorable ${what} not refused`, text);
              continue;
            }
            if (put instanceof PerstoreError) {
              fail(`put ${what}`, [text, put.code, put.message]);
              continue;
            }
            memory.put(write);
            const back = await attempt(`get ${what}`, () => store.get(write.id));
            if (isDeepStrictEqual(back, write)) continue;
            if (losesBom(target.name, text)) figures.knownBom++;
            else fail(`round trip ${what}`, [write, back]);
          }
          if (storable && text !== "") {
            const removed = await attempt("delete id", () => store.delete(text));
            if (removed !== true) fail("delete id", text);
            memory.delete(text);
          }
        }
        expect(figures.failures).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      "answers hostile query values, parameters and field names as the memory store does",
      async () => {
        const sameAsMemory = async (
          what: string,
          query: QueryInput,
          options: QueryOptions = {},
        ) => {
          const got = await attempt(what, () => store.query(query, options));
          let wanted: unknown;
          try {
            wanted = memory.query(query, options);
          } catch (error) {
            wanted = error;
          }
          if (got instanceof PerstoreError) {
            if (!(wanted instanceof PerstoreError) && got.name !== "QueryError")
              fail(`${what} failed on SQL only`, [got.code, got.message]);
            return;
          }
          if (wanted instanceof Error) return; // SQL knows the schema; memory may refuse what SQL answers.
          const ids = (r: unknown) => (r as Results<Row>).map((x) => x.id).sort();
          if (JSON.stringify(ids(got)) !== JSON.stringify(ids(wanted)))
            fail(what, { query, options, sql: ids(got), memory: ids(wanted) });
        };
        for (const text of HOSTILE) {
          const v = rql(text);
          const storable = isStorableText(text);
          const before = figures.failures.length;
          await sameAsMemory("eq", `eq(name,string:${v})`);
          await sameAsMemory("ne", `ne(name,string:${v})&sort(+id)`);
          await sameAsMemory("in", `in(name,(string:${v},string:x))`);
          await sameAsMemory("contains text", `contains(name,string:${v})`);
          await sameAsMemory("contains array", `contains(tags,string:${v})`);
          await sameAsMemory("starts", `starts(name,string:${v})`);
          await sameAsMemory("ends", `ends(name,string:${v})`);
          await sameAsMemory("json equals", { field: "name", compare: "equals", value: text });
          await sameAsMemory("json contains", { field: "name", compare: "contains", value: text });
          await sameAsMemory("parameter", "eq(name,$1)", { parameters: [text] });
          await sameAsMemory("parameter list", "in(name,$1)", { parameters: [[text, "x"]] });
          await sameAsMemory("nested path", `eq(nested/${v},string:${v})`);
          // Names no schema knows: a QueryError on SQL, never SQL text.
          for (const [what, query] of [
            ["sort field", `sort(+${v})`],
            ["select field", `select(id,${v})`],
            ["json field", { field: text, compare: "equals", value: 1 }],
          ] as const) {
            const result = await attempt(what, () => store.query(query));
            if (
              text !== "" &&
              !(result instanceof PerstoreError) &&
              !spec.columns.some((c) => c.name === text)
            )
              fail(`${what} accepted`, text);
          }
          if (!storable) {
            const result = await attempt("unstorable parameter", () =>
              store.query("eq(name,$1)", { parameters: [text] }),
            );
            if (!(result instanceof PerstoreError) || result.code !== "QUERY_BAD_VALUE")
              fail("unstorable parameter not refused", text);
            else figures.refused++;
          }
          if (figures.failures.length > before + 20) break;
        }
        expect(figures.failures).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      "works on a table and columns named like injections",
      async () => {
        await createTable(db, database.schema, hostileSpec);
        const odd = new SqlStore<Record<string, unknown>>({
          db,
          table: hostileSpec,
          schema: database.schema,
        });
        const [key, value] = hostileSpec.columns.map((c) => c.name) as [string, string];
        for (const text of HOSTILE.filter(
          (t) => isStorableText(t) && !losesBom(target.name, t),
        ).slice(0, 30)) {
          const record = { [key]: `k${text}`, [value]: text };
          await attempt("odd put", () => odd.put(record));
          const back = await attempt("odd get", () => odd.get(`k${text}`));
          if (!isDeepStrictEqual(back, record)) fail("odd round trip", [record, back]);
          // A JSON query value that is exactly "$1" names parameter 1 (docs/query-language.md).
          const found = await attempt("odd query", () =>
            odd.query({ field: value, compare: "equals", value: "$1" }, { parameters: [text] }),
          );
          if (
            found instanceof PerstoreError ||
            !(found as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(record))
          )
            fail("odd query", [text, found]);
        }
        expect(figures.failures).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      "leaves the canary table and the schema's tables as they were",
      async () => {
        expect(await canary()).toEqual([{ id: 1, secret: "tweet" }]);
        expect(await tables()).toEqual([hostileSpec.table, "canary", "hostile"].sort());
        expect(figures.failures).toEqual([]);
      },
      TIMEOUT,
    );
  });
}
