/**
 * `GET /<Model>/?<rql>` with `Accept: application/vnd.perstore.explain+json`:
 * the plan of the query instead of its records, asked of the same facet as
 * the query. Whoever may not run a query may not explain it (same status,
 * same code, for every role and query below); a row filter's facet sees the
 * plan of its filtered query, with counts withheld; a hidden property leaks
 * neither its name nor its values, on the memory store and on SQL (PGlite);
 * the SQL plan is PostgreSQL's generic plan of the statement, whose values
 * are placeholders, never interpolated.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModels, openapi } from "../../generated/index.js";
import { defineModels } from "../../src/compiler/index.js";
import { runSqlScript } from "../../src/compiler/migrate/run-sql-script.js";
import { createHandler, hashToken, type Handler } from "../../src/server/index.js";
import { openDatabase } from "../../src/store/sql/open-database.js";
import { ADMIN_TOKEN, EDITOR_TOKEN, serveExample } from "./serve-fixture.js";
import { createTable } from "../store/sql/sql-test-db.js";

/** A JSON answer, as the assertions read it. */
const read = (res: Response): Promise<any> => res.json();

const EXPLAIN = "application/vnd.perstore.explain+json";
const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
const isbn = (n: number) => `9780000000${String(n).padStart(3, "0")}`;
const book = (n: number, extra: Record<string, unknown> = {}) => ({
  isbn: isbn(n),
  title: `Book ${n}`,
  authorId: AUTHOR,
  status: n % 3 === 0 ? "draft" : "published",
  price: 10 + n,
  year: 1960 + n,
  ...extra,
});

type Call = (
  method: string,
  path: string,
  options?: { token?: string; headers?: Record<string, string> },
) => Promise<Response>;

const explain = (call: Call, path: string, token?: string, headers: Record<string, string> = {}) =>
  call("GET", path, { ...(token ? { token } : {}), headers: { accept: EXPLAIN, ...headers } });

describe("explain on the memory store (the example models)", () => {
  let server: Awaited<ReturnType<typeof serveExample>>;
  beforeAll(async () => {
    server = await serveExample();
    await server.models.Author.create({ id: AUTHOR, name: "Frank Herbert" });
    for (let n = 1; n <= 9; n++) await server.models.Book.create(book(n) as never);
  });
  afterAll(() => server.handler.close());

  it("answers the index plan: the index used, the terms it narrows by, the residual filter, the candidates", async () => {
    const res = await explain(server.call, `/Book/?authorId=${AUTHOR}&year>=1965`, ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(EXPLAIN);
    expect(res.headers.get("server-timing")).toMatch(/^explain;dur=\d+(\.\d+)?$/);
    expect(await read(res)).toEqual({
      model: "Book",
      store: "memory",
      available: true,
      index: { kind: "lookup", field: "authorId", values: [AUTHOR] },
      indexed: [`eq(authorId,${AUTHOR})`],
      residual: ["ge(year,1965)"],
      candidates: 9,
      records: 9,
    });
    // The key is always indexed: two candidates of nine.
    const byKey = await (
      await explain(server.call, `/Book/?isbn=in=(${isbn(1)},${isbn(2)})&sort(-year)`, ADMIN_TOKEN)
    ).json();
    expect(byKey).toMatchObject({
      index: { kind: "lookup", field: "isbn" },
      residual: [],
      candidates: 2,
      records: 9,
    });
    // A compound index (title, year) answers both equalities together.
    const compound = await read(
      await explain(server.call, "/Book/?title=Book%203&year=1963", ADMIN_TOKEN),
    );
    expect(compound).toMatchObject({
      index: { kind: "compound", fields: ["title", "year"] },
      indexed: ["eq(title,Book 3)", "eq(year,1963)"],
      residual: [],
      candidates: 1,
    });
  });

  it("times the query itself too: Server-Timing on every query answer", async () => {
    const res = await server.call("GET", "/Book/?year>=1965", {
      token: ADMIN_TOKEN,
      headers: { range: "items=0-4" },
    });
    expect(res.status).toBe(206);
    expect(res.headers.get("server-timing")).toMatch(/^query;dur=\d+(\.\d+)?$/);
  });

  it("refuses exactly what the query refuses, with the same status and code, for every role", async () => {
    const cases: { token?: string; path: string; range?: string }[] = [
      // anonymous = reader: the catalog facet (status=published, price hidden, maxLimit 50, few operators)
      { path: "/Book/?year>=1965", range: "items=0-19" },
      { path: "/Book/?year>=1965" }, // no limit, no page: over maxLimit
      { path: "/Book/?year>=1965&limit(60)" },
      { path: "/Book/?price=11", range: "items=0-19" }, // hidden
      { path: "/Book/?year>1965", range: "items=0-19" }, // gt: not an allowed operator
      { path: "/Book/?sort(+price)", range: "items=0-19" },
      { path: "/Author/" }, // the role has no Author
      { path: "/Nope/" },
      { path: "/Book/?year>=", range: "items=0-19" }, // a parse error
      { token: "not-a-token", path: "/Book/" },
      { token: EDITOR_TOKEN, path: "/Book/?price=11" }, // the editor facet hides nothing
      { token: EDITOR_TOKEN, path: "/Person/" },
      { token: ADMIN_TOKEN, path: "/Author/?name=Frank%20Herbert" },
    ];
    const statuses: number[] = [];
    for (const { token, path, range } of cases) {
      const headers: Record<string, string> = range ? { range } : {};
      const query = await server.call("GET", path, { ...(token ? { token } : {}), headers });
      const plan = await explain(server.call, path, token, headers);
      const queried = (await read(query)) as { code?: string };
      const explained = (await read(plan)) as { code?: string };
      // A page of records is 206; its plan is 200.
      expect(plan.status, path).toBe(query.status === 206 ? 200 : query.status);
      if (query.status >= 400) expect(explained.code, path).toBe(queried.code);
      statuses.push(plan.status);
    }
    // The cases cover answers and refusals alike.
    expect(new Set(statuses)).toEqual(new Set([200, 400, 401, 403, 404]));
  });

  it("a row filter's facet sees the plan of its filtered query, counts withheld", async () => {
    const res = await explain(server.call, "/Book/?year>=1965", undefined, {
      range: "items=0-19",
    });
    expect(res.status).toBe(200);
    const plan = await read(res);
    expect(plan).toMatchObject({
      store: "memory",
      available: true,
      candidates: null,
      records: null,
    });
    expect(plan.residual).toEqual(["eq(status,published)", "ge(year,1965)"]);
    // The whole model's plan counts every record; the facet's never does.
    const admin = await read(await explain(server.call, "/Book/?year>=1965", ADMIN_TOKEN));
    expect(admin.residual).toEqual(["ge(year,1965)"]);
    expect(admin.records).toBe(9);
  });

  it("without an anonymous role, a request without a token is 401 for the plan as for the query", async () => {
    const closed = await serveExample({
      access: {
        roles: { admin: { "*": "*" } },
        tokens: [{ role: "admin", sha256: await hashToken(ADMIN_TOKEN) }],
      },
    });
    try {
      expect((await explain(closed.call, "/Book/")).status).toBe(401);
      expect((await explain(closed.call, "/Book/", ADMIN_TOKEN)).status).toBe(200);
    } finally {
      closed.handler.close();
    }
  });
});

/** A facet that filters on a property it hides: neither the name nor the value may show in a plan. */
const DOC_SCHEMA = {
  Doc: {
    properties: { title: String, tenant: String, year: Number },
    indexes: [{ fields: ["tenant"] }, { fields: ["year"] }],
    facets: {
      mine: {
        methods: ["get", "query"],
        hidden: ["tenant"],
        filter: "eq(tenant,acme-corp-secret)",
      },
    },
  },
} as const;
const MINE = "mine-token";

async function docHandler(models: Record<string, any>): Promise<{ call: Call; close(): void }> {
  for (let n = 0; n < 6; n++)
    await models.Doc.create({
      title: `Doc ${n}`,
      tenant: n % 2 ? "acme-corp-secret" : "other-tenant-value",
      year: 2000 + n,
    });
  const handler: Handler = createHandler({
    models,
    access: {
      roles: { mine: { Doc: "mine" }, admin: { "*": "*" } },
      tokens: [
        { role: "mine", sha256: await hashToken(MINE) },
        { role: "admin", sha256: await hashToken(ADMIN_TOKEN) },
      ],
    },
  });
  const call: Call = (method, path, options = {}) =>
    handler(
      new Request(`http://localhost${path}`, {
        method,
        headers: {
          ...options.headers,
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      }),
    );
  return { call, close: () => handler.close() };
}

function expectNothingHidden(text: string): void {
  expect(text).not.toMatch(/tenant/i);
  expect(text).not.toMatch(/acme|secret|other-tenant/i);
}

describe("a hidden property leaks through no plan", () => {
  it("memory: the facet filter's term and index step are redacted, counts withheld", async () => {
    const models = defineModels(DOC_SCHEMA as never) as unknown as Record<string, any>;
    const { call, close } = await docHandler(models);
    try {
      const res = await explain(call, "/Doc/?year>=2002", MINE);
      expect(res.status).toBe(200);
      const text = await res.text();
      expectNothingHidden(text);
      const plan = JSON.parse(text);
      expect(plan).toMatchObject({
        store: "memory",
        index: { kind: "intersect", plans: [{ kind: "hidden" }, { kind: "range", field: "year" }] },
        indexed: ["‹a condition on a hidden property›", "ge(year,2002)"],
        candidates: null,
      });
      // The whole model's plan names it (so the redaction above is the facet's doing).
      expect(
        await (await explain(call, "/Doc/?tenant=acme-corp-secret", ADMIN_TOKEN)).text(),
      ).toMatch(/tenant/);
      // Asking about the hidden property is refused, as the query is.
      expect((await explain(call, "/Doc/?tenant=x", MINE)).status).toBe(403);
    } finally {
      close();
    }
  });

  it("SQL (PGlite): the statement and PostgreSQL's plan name no hidden column and show no estimate", async () => {
    const db = openDatabase("memory:");
    try {
      const models = defineModels(DOC_SCHEMA as never, { db }) as unknown as Record<string, any>;
      await createTable(db, "public", models.Doc.definition.sql);
      await runSqlScript(db, 'create index "doc_tenant_idx" on "doc" ("tenant");');
      const { call, close } = await docHandler(models);
      try {
        const res = await explain(call, "/Doc/?year>=2002", MINE);
        expect(res.status).toBe(200);
        const text = await res.text();
        expectNothingHidden(text);
        expect(text).not.toMatch(/Plan Rows|Total Cost/);
        const plan = JSON.parse(text);
        expect(plan.store).toBe("sql");
        expect(plan.statement).toMatch(/\$1/);
        expect(plan.plan.Plan["Node Type"]).toEqual(expect.any(String));
        const admin = await (await explain(call, "/Doc/?year>=2002", ADMIN_TOKEN)).text();
        expect(admin).toMatch(/tenant/);
        expect(admin).toMatch(/Plan Rows/);
      } finally {
        close();
      }
    } finally {
      await db.destroy();
    }
  }, 120_000);
});

describe("explain on the SQL store (the example models on PGlite)", () => {
  const db = openDatabase("memory:");
  let handler: Handler;
  let call: Call;
  beforeAll(async () => {
    const ddl = await readFile(
      fileURLToPath(new URL("../../generated/schema.sql", import.meta.url)),
      "utf8",
    );
    await runSqlScript(db, ddl);
    const models = createModels({ db });
    await models.Author.create({ id: AUTHOR, name: "Frank Herbert" });
    for (let n = 1; n <= 9; n++) await models.Book.create(book(n) as never);
    handler = createHandler({
      models,
      openapi,
      access: {
        anonymous: "reader",
        roles: { reader: { Book: "catalog" }, admin: { "*": "*" } },
        tokens: [{ role: "admin", sha256: await hashToken(ADMIN_TOKEN) }],
      },
    });
    call = (method, path, options = {}) =>
      handler(
        new Request(`http://localhost${path}`, {
          method,
          headers: {
            ...options.headers,
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
        }),
      );
  }, 120_000);
  afterAll(async () => {
    handler?.close();
    await db.destroy();
  });

  it("answers the statement with placeholders and the generic plan: no value is interpolated", async () => {
    const path = `/Book/?title=${encodeURIComponent("Secret'Value")}&year>=1987&sort(-year)`;
    const res = await explain(call, path, ADMIN_TOKEN, { range: "items=40-59" });
    expect(res.status).toBe(200);
    const text = await res.text();
    const plan = JSON.parse(text);
    expect(plan).toMatchObject({ model: "Book", store: "sql", available: true });
    expect(plan.statement).toMatch(/^select /);
    expect(plan.statement).toMatch(/\$1/);
    expect(plan.parameterCount).toBeGreaterThanOrEqual(2);
    expect(plan.plan.Plan).toMatchObject({ "Node Type": expect.any(String) });
    // Neither the values of the filter nor the page's limit and offset appear anywhere.
    expect(text).not.toMatch(/Secret|Value'|1987/);
    expect(text).not.toMatch(/\b(40|20)\b::/);
    // The plan shows where they go.
    expect(JSON.stringify(plan.plan)).toMatch(/\$\d/);
    // And the query itself still runs (the explain left no prepared statement or setting behind).
    const rows = await call("GET", "/Book/?year>=1965&sort(+year)", { token: ADMIN_TOKEN });
    expect((await read(rows)).map((b: { year: number }) => b.year)).toEqual([
      1965, 1966, 1967, 1968, 1969,
    ]);
  });

  it("through the catalog facet: its filter is in the statement, the hidden price is not, no estimates", async () => {
    const res = await explain(call, "/Book/?year>=1965", undefined, { range: "items=0-19" });
    expect(res.status).toBe(200);
    const plan = await read(res);
    expect(plan.statement).toMatch(/"status"/);
    expect(plan.statement).not.toMatch(/price/i);
    expect(JSON.stringify(plan)).not.toMatch(/price|'published'|Plan Rows/i);
    const admin = await read(await explain(call, "/Book/?year>=1965", ADMIN_TOKEN));
    expect(admin.statement).toMatch(/"price"/);
    // The query the facet refuses is refused here too.
    expect((await explain(call, "/Book/?price=3", undefined, { range: "items=0-19" })).status).toBe(
      403,
    );
  });
});
