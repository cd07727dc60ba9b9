/**
 * The facet denial matrix: for each facet of the example application, every
 * request its definition must refuse (facet-matrix.ts generates them from the
 * facet's methods, hidden and read-only properties, filter, maxLimit and
 * operators) is sent through the REST handler, with a token and anonymously,
 * and refused with its status; the stored data (read through the models' own
 * stores) is byte-identical afterwards. What the facet may read never carries
 * a hidden property or value: not in records, query pages, link targets,
 * change-set answers, events, ETags, Content-Range totals or /openapi.json.
 * Without a token and with no anonymous role, every endpoint is 401.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { createModels, definitions, openapi } from "../../generated/index.js";
import { createHandler, hashToken, type Handler } from "../../src/server/index.js";
import {
  deniedAttempts,
  everyEndpoint,
  FACETS,
  facetFacts,
  IF_MATCH,
  modelsBelow,
  probeLike,
  type Attempt,
  type FacetCase,
  type ModelName,
} from "./facet-matrix.js";
import { SAMPLES, type Row } from "./facet-matrix-samples.js";

const FACET_TOKEN = "matrix-facet-token";
const ONLY_TOKEN = "matrix-only-token";
const MODELS = Object.keys(definitions) as ModelName[];

type Models = ReturnType<typeof createModels>;

/**
 * The example models with the samples stored, served with two roles for
 * `facet`: "facet" (every other model whole, so links into the facet's model
 * go through the facet; also the anonymous role) and "only" (just the facet).
 */
async function serveFacet(facet: FacetCase, options: { anonymous?: boolean } = {}) {
  const models = createModels();
  for (const name of Object.keys(SAMPLES) as ModelName[])
    for (const record of SAMPLES[name]!.records) await models[name].create(record as never);
  const handler = createHandler({
    models,
    openapi,
    access: {
      ...(options.anonymous === false ? {} : { anonymous: "facet" }),
      roles: {
        facet: { "*": "*", [facet.model]: facet.name },
        only: { [facet.model]: facet.name },
      },
      tokens: [
        { role: "facet", sha256: await hashToken(FACET_TOKEN) },
        { role: "only", sha256: await hashToken(ONLY_TOKEN) },
      ],
    },
  });
  const call = (
    method: string,
    path: string,
    init: { body?: unknown; token?: string; headers?: Readonly<Record<string, string>> } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    return handler(new Request(`http://localhost${path}`, { method, headers, body }));
  };
  return { models, handler, call };
}

/** Every model's records as its own store holds them (no facet), as one text. */
async function snapshot(models: Models): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const name of MODELS) {
    const store = await models[name].store();
    const key = definitions[name].primaryKey;
    out[name] = await store.query!(`sort(+${key})`);
  }
  return JSON.stringify(out);
}

/** Writes an undeclared key (`value` under the name `perstore_matrix_extra`) into a stored record, through the store itself. */
async function writeUndeclared(models: Models, name: ModelName, id: string, value: string) {
  const store = await models[name].store();
  const stored = (await store.get!(id)) as Row;
  await store.put!({ ...stored, perstore_matrix_extra: value } as never, { id });
}

/** Leaves of a value (strings and numbers) as text: what must not appear in a response. */
function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(leaves);
  return [];
}

/**
 * The stored values of the facet's hidden properties, in its model and the
 * models below it: those long enough to find in a text and not also the value
 * of some visible property (a manager's id is also a visible id).
 */
function sentinels(facet: FacetCase): string[] {
  const { hiddenAnywhere: hidden } = facetFacts(facet);
  const rows = modelsBelow(facet.model).flatMap((name) => SAMPLES[name]!.records);
  const shown = new Set(
    rows.flatMap((row) =>
      Object.keys(row)
        .filter((p) => !hidden.includes(p))
        .flatMap((p) => leaves(row[p])),
    ),
  );
  return rows
    .flatMap((row) => hidden.flatMap((h) => leaves(row[h])))
    .filter((value) => value.length >= 5 && !shown.has(value));
}

/** Records in a JSON answer (one record, a page of them, or a change-set answer's). */
function recordsIn(body: unknown): Row[] {
  if (Array.isArray(body)) return body.filter((item) => item !== null && typeof item === "object");
  if (body === null || typeof body !== "object") return [];
  const { records, data } = body as { records?: unknown; data?: unknown };
  if (Array.isArray(records) || Array.isArray(data))
    return [...recordsIn(records ?? []), ...recordsIn(data ?? [])];
  return [body as Row];
}

/** Asserts an answer carries no hidden property of `facet` and none of its hidden values. */
function expectNothingHidden(facet: FacetCase, text: string, where: string): void {
  for (const value of sentinels(facet))
    expect(text.includes(value), `${where}: hidden value ${value} leaked`).toBe(false);
  const { hiddenAnywhere: hidden } = facetFacts(facet);
  if (text === "" || !/^[[{]/.test(text)) return;
  for (const row of recordsIn(JSON.parse(text)))
    for (const h of hidden) expect(Object.hasOwn(row, h), `${where}: property ${h}`).toBe(false);
}

/** Sends each attempt and checks its status, error shape and that it leaks nothing. */
async function attempt(
  server: Awaited<ReturnType<typeof serveFacet>>,
  facet: FacetCase,
  attempts: readonly Attempt[],
  token: string | undefined,
  tag: string,
): Promise<void> {
  for (const a of attempts) {
    const headers = Object.fromEntries(
      Object.entries(a.headers ?? {}).map(([k, v]) => [k, v === IF_MATCH ? tag : v]),
    );
    const res = await server.call(a.method, a.path, {
      headers,
      ...(a.body !== undefined ? { body: a.body } : {}),
      ...(token !== undefined ? { token } : {}),
    });
    const where = `${facet.model}.${facet.name} ${token ? "token" : "anonymous"}: ${a.label} (${a.method} ${a.path})`;
    if (res.headers.get("content-type") === "text/event-stream") {
      await res.body?.cancel();
      expect.fail(`${where}: answered with an event stream`);
    }
    const text = await res.text();
    expect(res.status, `${where}: ${text}`).toBe(a.status);
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    expect(typeof body.code, where).toBe("string");
    if (a.status === 403) expect(body.code, where).toMatch(/^ACCESS_/);
    if (a.status === 401) expect(body.code, where).toBe("ACCESS_UNAUTHENTICATED");
    expectNothingHidden(facet, text, where);
  }
}

/** The facet's current tag of its first sample record (what a client would send in If-Match). */
async function currentTag(server: Awaited<ReturnType<typeof serveFacet>>, facet: FacetCase) {
  const f = facetFacts(facet);
  const res = await server.call("GET", `/${facet.model}/${encodeURIComponent(String(f.a[f.key]))}`);
  await res.body?.cancel();
  return res.headers.get("etag") ?? '"none"';
}

it("the example application has facets to test", () => {
  expect(FACETS.length).toBeGreaterThan(0);
});

describe.each(FACETS.map((facet) => [`${facet.model}.${facet.name}`, facet] as const))(
  "facet %s",
  (_, facet) => {
    const f = facetFacts(facet);
    const M = facet.model;

    it("refuses every denied request, with a token and anonymously; the data is unchanged", async () => {
      const server = await serveFacet(facet);
      const attempts = deniedAttempts(facet);
      expect(attempts.length).toBeGreaterThan(0);
      const before = await snapshot(server.models);
      const tag = await currentTag(server, facet);
      await attempt(server, facet, attempts, FACET_TOKEN, tag);
      await attempt(server, facet, attempts, undefined, tag);
      await attempt(server, facet, attempts, ONLY_TOKEN, tag);
      expect(await snapshot(server.models)).toBe(before);
      server.handler.close();
    }, 60_000);

    it("a role with only this facet reaches no other model, through any endpoint", async () => {
      const server = await serveFacet(facet);
      const before = await snapshot(server.models);
      const others = MODELS.filter((name) => name !== M).flatMap((name) =>
        everyEndpoint(name, 403),
      );
      await attempt(server, facet, others, ONLY_TOKEN, '"x"');
      expect(await snapshot(server.models)).toBe(before);
      server.handler.close();
    }, 60_000);

    it("what the facet may read carries nothing hidden: records, pages, totals, links", async () => {
      const server = await serveFacet(facet);
      const id = (row: Row) => encodeURIComponent(String(row[f.key]));
      const read = async (path: string, headers: Record<string, string> = {}) => {
        const res = await server.call("GET", path, { token: FACET_TOKEN, headers });
        const text = await res.text();
        expectNothingHidden(facet, text, `GET ${path}`);
        return { res, text };
      };
      if (f.allows("get")) {
        const { res } = await read(`/${M}/${id(f.a)}`);
        expect(res.status).toBe(200);
        for (const link of definitions[M].links ?? []) {
          const path = `/${M}/${id(f.a)}/${link.rel}`;
          // A link out of the facet's hierarchy shows the target through the role's view of the target model.
          if (modelsBelow(M).includes(link.target as ModelName)) await read(path);
          else await (await server.call("GET", path, { token: FACET_TOKEN })).body?.cancel();
        }
      }
      if (f.allows("query")) {
        // Every record of the model's store (sub-models' too) inside the filter, and nothing else, is counted.
        const all = (await (await server.models[M].store()).query!("")) as Row[];
        const total = all.filter(f.inside).length;
        const range =
          facet.definition.maxLimit === undefined
            ? "items=0-"
            : `items=0-${facet.definition.maxLimit - 1}`;
        const { res, text } = await read(`/${M}/`, { range });
        expect(res.status).toBe(206);
        expect(res.headers.get("content-range")).toMatch(new RegExp(`/${total}$`));
        const shown = (JSON.parse(text) as Row[]).map((row) => row[f.key]);
        for (const row of f.outside) expect(shown).not.toContain(row[f.key]);
        // A query aimed at a record outside the filter finds nothing, and says so in its total.
        for (const row of f.outside) {
          const aimed = await read(`/${M}/?eq(${f.key},${id(row)})${f.limit}`);
          expect(aimed.res.status).toBe(200);
          expect(aimed.text).toBe("[]");
          expect(aimed.res.headers.get("content-range")).toBe("items */0");
        }
      }
      // Links of other models into this one go through the facet too.
      for (const name of MODELS) {
        for (const link of (definitions[name].links ?? []).filter((l) => l.target === M)) {
          const [source] = SAMPLES[name]!.records as [Row];
          const key = definitions[name].primaryKey;
          await read(`/${name}/${encodeURIComponent(String(source[key]))}/${link.rel}`);
        }
      }
      server.handler.close();
    });

    it("the ETag is of what the facet shows: a change to a hidden property does not change it", async () => {
      if (!f.allows("get") || f.hidden.length === 0) return;
      const server = await serveFacet(facet);
      const path = `/${M}/${encodeURIComponent(String(f.a[f.key]))}`;
      const tagOf = async (token?: string) => {
        const res = await server.call("GET", path, token ? { token } : {});
        await res.body?.cancel();
        return res.headers.get("etag");
      };
      const before = await tagOf();
      const changes = Object.fromEntries(
        f.hidden.filter((h) => h in f.a).map((h) => [h, probeLike(f.a[h])]),
      );
      await server.models[M].patch(f.a[f.key] as string, changes as never);
      expect(await tagOf()).toBe(before);
      if (f.writable !== undefined) {
        await server.models[M].patch(f.a[f.key] as string, { [f.writable]: "Changed" } as never);
        expect(await tagOf()).not.toBe(before);
      }
      server.handler.close();
    });

    it("its event stream carries no hidden property, no record outside the filter", async () => {
      if (!f.allows("query") || f.writable === undefined) return;
      const server = await serveFacet(facet);
      const res = await server.call("GET", `/${M}/`, {
        token: FACET_TOKEN,
        headers: { accept: "text/event-stream" },
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const model = server.models[M];
      const key = (row: Row) => row[f.key] as string;
      // Changes it must not reveal (a's hidden values, now free, go to a new record), then a visible change that ends the wait.
      if (f.hidden.length > 0)
        await model.patch(
          key(f.a),
          Object.fromEntries(
            f.hidden.filter((h) => h in f.a).map((h) => [h, probeLike(f.a[h])]),
          ) as never,
        );
      // A key no schema declares, written through the store itself: no event either.
      await writeUndeclared(server.models, M, key(f.a), "matrix-undeclared");
      // Sub-model records: a change to what their own scope hides is no event.
      for (const sub of modelsBelow(M).slice(1))
        for (const [i, row] of SAMPLES[sub]!.records.entries()) {
          const hiddenHere = f.hiddenIn(sub).filter((h) => h in row);
          // One probe per row, so a unique index (email) takes them all.
          const probe = (value: unknown) => {
            const like = probeLike(value);
            return typeof like === "string" && like.includes("@")
              ? like.replace("@", `${i}@`)
              : like;
          };
          if (hiddenHere.length > 0)
            await server.models[sub].patch(
              key(row),
              Object.fromEntries(hiddenHere.map((h) => [h, probe(row[h])])) as never,
            );
        }
      for (const row of f.outside) await model.patch(key(row), { [f.writable]: "Unseen" } as never);
      const fresh = SAMPLES[M]!.fresh;
      await model.create({
        ...fresh,
        ...Object.fromEntries(f.hidden.filter((h) => h in f.a).map((h) => [h, f.a[h]])),
      } as never);
      // Records of sub-models come through the base model's facet with the base model's properties only.
      const subRecords = modelsBelow(M)
        .slice(1)
        .flatMap((name) => SAMPLES[name]!.records);
      for (const row of subRecords)
        await model.patch(key(row), { [f.writable]: "SubSeen" } as never);
      await model.patch(key(f.b), { [f.writable]: "Marker" } as never);
      let text = "";
      const decoder = new TextDecoder();
      while (!text.includes('"Marker"')) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      await reader.cancel();
      expect(text).toContain('"Marker"');
      const events = text
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => JSON.parse(line.slice(6)) as { type?: string; id?: unknown; record?: Row });
      for (const value of sentinels(facet)) expect(text).not.toContain(value);
      for (const event of events) {
        for (const h of f.hiddenAnywhere) expect(event.record ?? {}).not.toHaveProperty(h);
        for (const row of f.outside) expect(event.id).not.toBe(row[f.key]);
      }
      expect(text).not.toContain("Unseen");
      expect(text).not.toContain("matrix-undeclared");
      // Only what it can see is an event: nothing for a, one change per sub-model record.
      expect(events.filter((e) => e.id === f.a[f.key])).toEqual([]);
      for (const row of subRecords)
        expect(events.filter((e) => e.id === row[f.key]).map((e) => e.type)).toEqual(["change"]);
      expect(events.some((e) => e.type === "add" && e.id === fresh[f.key])).toBe(true);
      // Numbered for this facet alone: no gap where an unseen change happened.
      const ids = text
        .split("\n")
        .filter((line) => line.startsWith("id: "))
        .map((line) => Number(line.slice(4)));
      const ready = Number(/"revision":(\d+)/.exec(text)![1]);
      expect(ids).toEqual(ids.map((_, i) => ready + 1 + i));
      server.handler.close();
    }, 60_000);

    it("a sub-model's record read through this facet shows only what the sub-model's facet of the same name does", async () => {
      const subs = modelsBelow(M).slice(1);
      if (subs.length === 0 || !f.allows("get")) return;
      const server = await serveFacet(facet);
      for (const sub of subs) {
        for (const row of SAMPLES[sub]!.records) {
          const id = encodeURIComponent(String(row[f.key]));
          const paths = [
            `/${M}/${id}`,
            ...(f.allows("query") ? [`/${M}/?eq(${f.key},${id})${f.limit}`] : []),
          ];
          for (const path of paths) {
            for (const token of [FACET_TOKEN, ONLY_TOKEN, undefined]) {
              const res = await server.call("GET", path, token ? { token } : {});
              const text = await res.text();
              expect(res.status, `${path}: ${text}`).toBe(200);
              expectNothingHidden(facet, text, `GET ${path}`);
              // Still the sub-model's record: it names its model, so a client builds the sub-model's instance.
              const [record] = recordsIn(JSON.parse(text));
              expect(record?.perstore_type, path).toBe(sub);
              for (const p of f.hiddenAnywhere) expect(record, path).not.toHaveProperty(p);
            }
          }
        }
      }
      server.handler.close();
    }, 60_000);

    it("keys a stored record has that no schema declares never show through the facet", async () => {
      const server = await serveFacet(facet);
      const secret = "matrix-undeclared-secret";
      const rows = modelsBelow(M).flatMap((name) =>
        SAMPLES[name]!.records.map((row) => [name, row] as const),
      );
      for (const [name, row] of rows)
        await writeUndeclared(server.models, name, row[f.key] as string, secret);
      const texts: string[] = [];
      const read = async (path: string, headers: Record<string, string> = {}) => {
        for (const token of [FACET_TOKEN, ONLY_TOKEN]) {
          const res = await server.call("GET", path, { token, headers });
          texts.push(`${path}: ${await res.text()}`);
        }
      };
      const id = (row: Row) => encodeURIComponent(String(row[f.key]));
      for (const [, row] of rows.filter(([, row]) => f.inside(row))) {
        if (f.allows("get")) await read(`/${M}/${id(row)}`);
        if (f.allows("query")) await read(`/${M}/?eq(${f.key},${id(row)})${f.limit}`);
      }
      if (f.allows("query")) await read(`/${M}/`, { range: "items=0-0" });
      for (const name of MODELS)
        for (const link of (definitions[name].links ?? []).filter((l) => l.target === M)) {
          const [source] = SAMPLES[name]!.records as [Row];
          await read(
            `/${name}/${encodeURIComponent(String(source[definitions[name].primaryKey]))}/${link.rel}`,
          );
        }
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text).not.toContain(secret);
      // The whole model (another role's grant) shows them: they are there.
      const whole = await server.models[M].store();
      expect(JSON.stringify(await whole.get!(f.a[f.key] as string))).toContain(secret);
      server.handler.close();
    }, 60_000);

    it("/openapi.json of a role with only this facet lists only its operations and visible fields", async () => {
      const server = await serveFacet(facet);
      const res = await server.call("GET", "/openapi.json", { token: ONLY_TOKEN });
      expect(res.status).toBe(200);
      const text = await res.text();
      const document = JSON.parse(text) as {
        paths: Record<string, Record<string, { "x-perstore-method"?: string }>>;
        components: { schemas: Record<string, unknown> };
      };
      const result = await new Validator().validate(structuredClone(document) as never);
      expect(result.valid ? [] : result.errors).toEqual([]);
      for (const [path, item] of Object.entries(document.paths)) {
        expect(path.startsWith(`/${M}/`), path).toBe(true);
        for (const [verb, operation] of Object.entries(item)) {
          if (!["get", "put", "post", "patch", "delete"].includes(verb)) continue;
          const method = operation["x-perstore-method"]!;
          if (method === "changes") {
            expect(["create", "put", "patch", "delete"].some(f.allows), path).toBe(true);
          } else expect(f.allows(method), `${verb} ${path} (${method})`).toBe(true);
        }
      }
      // No schema the role sees names a hidden property, at any depth.
      const names = new Set<string>();
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node !== null && typeof node === "object") {
          const properties = (node as { properties?: unknown }).properties;
          if (properties !== null && typeof properties === "object")
            Object.keys(properties).forEach((name) => names.add(name));
          Object.values(node).forEach(walk);
        }
      };
      walk(document.components.schemas);
      walk(document.paths);
      for (const h of f.hiddenAnywhere) expect(names.has(h), h).toBe(false);
      server.handler.close();
    });
  },
);

describe("no token and no anonymous role", () => {
  it("every endpoint of every model, and /openapi.json, is 401; a wrong token too; nothing changes", async () => {
    const facet = FACETS[0]!;
    const server = await serveFacet(facet, { anonymous: false });
    const before = await snapshot(server.models);
    const attempts = [
      ...MODELS.flatMap((name) => everyEndpoint(name, 401)),
      ...FACETS.flatMap((each) => deniedAttempts(each).map((a) => ({ ...a, status: 401 }))),
      { label: "openapi", method: "GET", path: "/openapi.json", status: 401 },
    ];
    await attempt(server, facet, attempts, undefined, '"x"');
    await attempt(server, facet, attempts, "not-a-known-token", '"x"');
    expect(await snapshot(server.models)).toBe(before);
    server.handler.close();
  }, 60_000);
});
