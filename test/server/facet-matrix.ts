/**
 * The facet denial matrix, generated from the facet definitions of the
 * example application (generated/index.ts): for one facet, every request that
 * its methods, hidden and read-only properties, row filter, maxLimit and
 * operators must refuse, through every verb and endpoint, with the status it
 * must be refused with. A new facet (or a new rule on one) is covered
 * without touching this file.
 */
import { definitions } from "../../generated/index.js";
import type { FacetDefinition } from "../../src/model/index.js";
import { matches } from "../../src/query/index.js";
import { propertiesUsed } from "../../src/query/properties-used.js";
import { SAMPLES, type Row } from "./facet-matrix-samples.js";

export type ModelName = keyof typeof definitions;

/** One facet of one model. */
export interface FacetCase {
  readonly model: ModelName;
  readonly name: string;
  readonly definition: FacetDefinition;
}

/** Every facet of every model of the example application. */
export const FACETS: readonly FacetCase[] = (
  Object.entries(definitions) as [ModelName, (typeof definitions)[ModelName]][]
).flatMap(([model, definition]) =>
  Object.entries((definition.facets ?? {}) as Record<string, FacetDefinition>).map(
    ([name, facet]) => ({ model, name, definition: facet }),
  ),
);

/** A request the facet must refuse. `IF_MATCH` in a header stands for the record's current tag. */
export interface Attempt {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status: number;
}

export const IF_MATCH = "<current tag>";
export const EVENT_STREAM = { accept: "text/event-stream" };
const MERGE_PATCH = { "content-type": "application/merge-patch+json" };

/** Facet method names, and the names in `methods` that grant each (as the model runtime reads them). */
const GRANTS: Readonly<Record<string, readonly string[]>> = {
  get: ["get"],
  query: ["query"],
  create: ["create", "add"],
  put: ["put", "save"],
  patch: ["patch"],
  delete: ["delete"],
};

/** Queries each using one operator on the primary key: refused by a facet whose `operators` lacks it. */
const OPERATOR_QUERIES: Readonly<Record<string, (key: string, value: string) => string>> = {
  eq: (k, v) => `eq(${k},${v})`,
  ne: (k, v) => `ne(${k},${v})`,
  lt: (k, v) => `lt(${k},${v})`,
  le: (k, v) => `le(${k},${v})`,
  gt: (k, v) => `gt(${k},${v})`,
  ge: (k, v) => `ge(${k},${v})`,
  in: (k, v) => `in(${k},(${v}))`,
  out: (k, v) => `out(${k},(${v}))`,
  match: (k) => `match(${k},x)`,
  contains: (k, v) => `contains(${k},${v})`,
  or: (k, v) => `or(eq(${k},${v}),eq(${k},${v}))`,
  not: (k, v) => `not(eq(${k},${v}))`,
  sort: (k) => `sort(-${k})`,
  select: (k) => `select(${k})`,
  values: (k) => `values(${k})`,
  distinct: () => `distinct()`,
  count: () => `count()`,
  first: () => `first()`,
  search: () => `search(alpha)`,
};

/** A value of the same kind as `value` that is no sample's (so an echo of it in a response leaks nothing). */
export function probeLike(value: unknown): unknown {
  if (typeof value === "number") return 1;
  if (typeof value === "boolean") return !value;
  if (typeof value === "string") {
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return "1900-01-01T00:00:00.000Z";
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return "1900-01-01";
    if (value.includes("@")) return "probe@example.com";
    return "probe";
  }
  if (Array.isArray(value)) return value.map(probeLike);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === "country" ? v : probeLike(v)]),
    );
  return value;
}

/** An RQL condition on property `name` whose value is like `sample` (nested path for objects). */
function conditionOn(name: string, sample: unknown): string {
  const probe = probeLike(sample);
  if (Array.isArray(probe)) return `contains(${name},${encodeURIComponent(String(probe[0]))})`;
  if (probe !== null && typeof probe === "object") {
    const [key, leaf] = Object.entries(probe)[0]!;
    return `eq(${name}/${key},${encodeURIComponent(String(leaf))})`;
  }
  return `eq(${name},${encodeURIComponent(String(probe))})`;
}

/** `model` and every model below it (sub-models at any depth). */
export function modelsBelow(model: ModelName): ModelName[] {
  const out: ModelName[] = [model];
  for (let i = 0; i < out.length; i++)
    for (const sub of (definitions[out[i]!].subModels ?? []) as ModelName[])
      if (!out.includes(sub)) out.push(sub);
  return out;
}

/** What the matrix needs to know about a facet, read from its definition. */
export function facetFacts(facet: FacetCase) {
  const model = definitions[facet.model];
  const d = facet.definition;
  const key = model.primaryKey;
  const allows = (method: string) => GRANTS[method]!.some((grant) => d.methods.includes(grant));
  const hidden = d.hidden ?? [];
  /**
   * What the facet hides of the records of `name` (the facet's model, or one
   * below it): its hidden properties, and of a sub-model's records (an
   * Employee read through Person.directory) what the sub-model's facet of the
   * same name hides, or, when it has none, every property the facet's model
   * does not declare.
   */
  const hiddenIn = (name: ModelName): readonly string[] => {
    if (name === facet.model) return hidden;
    const sub = definitions[name] as { facets?: Record<string, FacetDefinition> };
    const own = Object.hasOwn(sub.facets ?? {}, facet.name) ? sub.facets![facet.name]! : undefined;
    if (own) return [...new Set([...hidden, ...(own.hidden ?? [])])];
    const declared = Object.keys(model.querySchema.fields);
    return [
      ...new Set([
        ...hidden,
        ...Object.keys(definitions[name].querySchema.fields).filter((p) => !declared.includes(p)),
      ]),
    ];
  };
  /** What no answer may show, of any record the facet serves. */
  const hiddenAnywhere = [...new Set(modelsBelow(facet.model).flatMap(hiddenIn))];
  const filter = d.filter?.filter;
  const inside = (row: Row) => filter === undefined || matches(filter, row, []);
  const records = SAMPLES[facet.model]!.records;
  /** A stored value of `property`, in this model's samples or its sub-models'. */
  const sampleOf = (property: string): unknown =>
    modelsBelow(facet.model)
      .flatMap((name) => SAMPLES[name]!.records)
      .find((row) => row[property] !== undefined)?.[property];
  const [a, b] = records.filter(inside) as [Row, Row];
  const outside = records.filter((row) => !inside(row));
  const filterProperties = d.filter ? propertiesUsed(d.filter) : [];
  const readonly = (d.readonly ?? []).filter((p) => p !== key);
  const indexed = new Set([key, ...(model.indexes ?? []).flatMap((index) => index.fields)]);
  /** A visible, writable, top-level string property whose value differs between a and b. */
  const writable = Object.keys(a).find(
    (p) =>
      p !== key &&
      typeof a[p] === "string" &&
      a[p] !== b[p] &&
      !hidden.includes(p) &&
      !readonly.includes(p) &&
      !filterProperties.includes(p),
  );
  const visible = (row: Row): Row =>
    Object.fromEntries(Object.entries(row).filter(([p]) => !hidden.includes(p)));
  const limit = d.maxLimit === undefined ? "" : `&limit(${d.maxLimit})`;
  return {
    model,
    key,
    allows,
    hidden,
    hiddenIn,
    hiddenAnywhere,
    filter,
    inside,
    a,
    b,
    outside,
    filterProperties,
    readonly,
    indexed,
    writable,
    visible,
    limit,
    sampleOf,
  };
}

/** Every request `facet` must refuse, with its status. */
export function deniedAttempts(facet: FacetCase): Attempt[] {
  const f = facetFacts(facet);
  const d = facet.definition;
  const M = facet.model;
  const fresh = SAMPLES[M]!.fresh;
  const id = (row: Row) => encodeURIComponent(String(row[f.key]));
  const out: Attempt[] = [];
  const add = (label: string, attempt: Omit<Attempt, "label" | "status">, status = 403) =>
    out.push({ label, status, ...attempt });
  const changes = (mode: string, list: unknown[]) => ({ mode, changes: list });
  const changed = f.writable === undefined ? {} : { [f.writable]: f.b[f.writable] };
  const aChanged = { ...f.visible(f.a), ...changed };
  const links = f.model.links ?? [];

  // Methods the facet does not grant: every verb and endpoint that would use them.
  if (!f.allows("get")) {
    add("GET by id without get", { method: "GET", path: `/${M}/${id(f.a)}` });
    for (const link of links)
      add(`GET link ${link.rel} without get`, {
        method: "GET",
        path: `/${M}/${id(f.a)}/${link.rel}`,
      });
  }
  if (!f.allows("query")) {
    add("query without query", { method: "GET", path: `/${M}/?limit(1)` });
    add("Range page without query", {
      method: "GET",
      path: `/${M}/`,
      headers: { range: "items=0-0" },
    });
    add("event stream without query", { method: "GET", path: `/${M}/`, headers: EVENT_STREAM });
  }
  if (!f.allows("create")) {
    add("POST without create", { method: "POST", path: `/${M}/`, body: fresh });
    add("PUT of a new id without create", {
      method: "PUT",
      path: `/${M}/${id(fresh)}`,
      body: fresh,
    });
    add("PUT If-None-Match: * without create", {
      method: "PUT",
      path: `/${M}/${id(fresh)}`,
      body: fresh,
      headers: { "if-none-match": "*" },
    });
    for (const mode of ["update", "condensed"])
      add(`change set (${mode}) add without create`, {
        method: "POST",
        path: `/${M}/_changes`,
        body: changes(mode, [{ type: "add", id: fresh[f.key], record: fresh }]),
      });
    add("change set (replace) adding a record without create", {
      method: "POST",
      path: `/${M}/_changes`,
      body: { mode: "replace", changes: [], records: [...SAMPLES[M]!.records, fresh] },
    });
  }
  if (!f.allows("put")) {
    add("PUT without put", { method: "PUT", path: `/${M}/${id(f.a)}`, body: aChanged });
    add("PUT with the current If-Match without put", {
      method: "PUT",
      path: `/${M}/${id(f.a)}`,
      body: aChanged,
      headers: { "if-match": IF_MATCH },
    });
    for (const mode of ["update", "condensed"])
      add(`change set (${mode}) change without put`, {
        method: "POST",
        path: `/${M}/_changes`,
        body: changes(mode, [
          { type: "change", id: f.a[f.key], changes: changed, record: aChanged },
        ]),
      });
    add("change set (replace) changing a record without put", {
      method: "POST",
      path: `/${M}/_changes`,
      body: {
        mode: "replace",
        changes: [],
        records: SAMPLES[M]!.records.map((row) => (row === f.a ? { ...f.a, ...changed } : row)),
      },
    });
  }
  if (!f.allows("patch"))
    add("PATCH without patch", {
      method: "PATCH",
      path: `/${M}/${id(f.a)}`,
      body: changed,
      headers: MERGE_PATCH,
    });
  if (!f.allows("delete")) {
    add("DELETE without delete", { method: "DELETE", path: `/${M}/${id(f.a)}` });
    add("DELETE with the current If-Match without delete", {
      method: "DELETE",
      path: `/${M}/${id(f.a)}`,
      headers: { "if-match": IF_MATCH },
    });
    for (const mode of ["update", "condensed"]) {
      add(`change set (${mode}) remove without delete`, {
        method: "POST",
        path: `/${M}/_changes`,
        body: changes(mode, [{ type: "remove", id: f.a[f.key] }]),
      });
      add(`change set (${mode}) clear without delete`, {
        method: "POST",
        path: `/${M}/_changes`,
        body: changes(mode, [{ type: "clear" }]),
      });
    }
    add("change set (replace) with no records without delete", {
      method: "POST",
      path: `/${M}/_changes`,
      body: { mode: "replace", changes: [], records: [] },
    });
  }

  // Hidden properties: never queried (any verb that queries), never written, never followed.
  for (const h of f.hidden) {
    const sample = f.sampleOf(h);
    const condition = conditionOn(h, sample);
    const queries = [
      condition,
      `sort(+${h})`,
      `select(${f.key},${h})`,
      `values(${h})`,
      `or(${condition},eq(${f.key},${id(f.a)}))`,
      `not(${condition})`,
      `${condition}&count()`,
      `max(${h})`,
      `aggregate(${h},count())`,
      // search() looks in every fullText field: a hidden one cannot be searched.
      ...(((f.model.sql?.fullText?.fields ?? []) as readonly string[]).includes(h)
        ? ["search(probe)"]
        : []),
    ];
    for (const query of queries) {
      add(`query on hidden ${h}: ${query}`, { method: "GET", path: `/${M}/?${query}${f.limit}` });
      add(`Range page of a query on hidden ${h}: ${query}`, {
        method: "GET",
        path: `/${M}/?${query}`,
        headers: { range: "items=0-0" },
      });
    }
    add(`event stream on hidden ${h}`, {
      method: "GET",
      path: `/${M}/?${condition}`,
      headers: EVENT_STREAM,
    });
    add(`event stream sorted by hidden ${h}`, {
      method: "GET",
      path: `/${M}/?sort(+${h})`,
      headers: EVENT_STREAM,
    });
    const probe = probeLike(sample);
    if (f.allows("create")) {
      add(`POST setting hidden ${h}`, {
        method: "POST",
        path: `/${M}/`,
        body: { ...fresh, [h]: probe },
      });
      add(`change set adding hidden ${h}`, {
        method: "POST",
        path: `/${M}/_changes`,
        body: changes("update", [
          { type: "add", id: fresh[f.key], record: { ...fresh, [h]: probe } },
        ]),
      });
    }
    if (f.allows("put")) {
      add(`PUT setting hidden ${h}`, {
        method: "PUT",
        path: `/${M}/${id(f.a)}`,
        body: { ...f.visible(f.a), [h]: probe },
      });
      for (const mode of ["update", "condensed"])
        add(`change set (${mode}) setting hidden ${h}`, {
          method: "POST",
          path: `/${M}/_changes`,
          body: changes(mode, [
            {
              type: "change",
              id: f.a[f.key],
              changes: { [h]: probe },
              record: { ...f.visible(f.a), [h]: probe },
            },
          ]),
        });
    }
    if (f.allows("patch"))
      add(`PATCH setting hidden ${h}`, {
        method: "PATCH",
        path: `/${M}/${id(f.a)}`,
        body: { [h]: probe },
        headers: MERGE_PATCH,
      });
    if (f.allows("get"))
      for (const link of links.filter((l) => l.property === h))
        add(`GET link ${link.rel} through hidden ${h}`, {
          method: "GET",
          path: `/${M}/${id(f.a)}/${link.rel}`,
        });
  }

  // The primary key cannot change through any write; other read-only properties are refused.
  if (f.allows("put"))
    add(
      "PUT with another primary key in the body",
      { method: "PUT", path: `/${M}/${id(f.a)}`, body: { ...f.visible(f.a), [f.key]: f.b[f.key] } },
      400,
    );
  if (f.allows("patch"))
    add(
      "PATCH changing the primary key",
      {
        method: "PATCH",
        path: `/${M}/${id(f.a)}`,
        body: { [f.key]: f.b[f.key] },
        headers: MERGE_PATCH,
      },
      400,
    );
  for (const r of f.readonly) {
    const value = f.b[r] !== undefined && f.b[r] !== f.a[r] ? f.b[r] : probeLike(f.a[r]);
    if (f.allows("create"))
      add(`POST setting read-only ${r}`, {
        method: "POST",
        path: `/${M}/`,
        body: { ...fresh, [r]: value },
      });
    if (f.allows("put")) {
      add(`PUT changing read-only ${r}`, {
        method: "PUT",
        path: `/${M}/${id(f.a)}`,
        body: { ...f.visible(f.a), [r]: value },
      });
      for (const mode of ["update", "condensed"])
        add(`change set (${mode}) changing read-only ${r}`, {
          method: "POST",
          path: `/${M}/_changes`,
          body: changes(mode, [
            {
              type: "change",
              id: f.a[f.key],
              changes: { [r]: value },
              record: { ...f.visible(f.a), [r]: value },
            },
          ]),
        });
      add(`change set (replace) changing read-only ${r}`, {
        method: "POST",
        path: `/${M}/_changes`,
        body: {
          mode: "replace",
          changes: [],
          records: SAMPLES[M]!.records.map((row) =>
            row === f.a ? { ...f.visible(f.a), [r]: value } : f.visible(row),
          ),
        },
      });
    }
    if (f.allows("patch"))
      add(`PATCH changing read-only ${r}`, {
        method: "PATCH",
        path: `/${M}/${id(f.a)}`,
        body: { [r]: value },
        headers: MERGE_PATCH,
      });
  }

  // Links: what the grant alone refuses is 403 for every id, so the answer tells nothing of the record;
  // an id the facet cannot see is 404, as reading it is; then the record's own scope decides (a sub-model's facet).
  const linkRefused = (property: string): 403 | undefined =>
    !f.allows("get") || f.hidden.includes(property) ? 403 : undefined;
  const missing = typeof f.a[f.key] === "number" ? "987654321" : "no-such-record";
  for (const link of links) {
    add(
      `GET link ${link.rel} of a record that does not exist`,
      { method: "GET", path: `/${M}/${missing}/${link.rel}` },
      linkRefused(link.property) ?? 404,
    );
    for (const sub of modelsBelow(M).slice(1))
      if (f.hiddenIn(sub).includes(link.property))
        for (const row of SAMPLES[sub]!.records.filter(f.inside))
          add(`GET link ${link.rel} of a ${sub} hiding ${link.property}`, {
            method: "GET",
            path: `/${M}/${id(row)}/${link.rel}`,
          });
  }

  // The row filter: records outside it do not exist for the facet, and none may be moved out of it.
  for (const row of f.outside) {
    // A route reads the record through the facet first (get), then writes it (put, delete).
    const notFound = (...methods: string[]) => (methods.every(f.allows) ? 404 : 403);
    add(`GET outside the filter`, { method: "GET", path: `/${M}/${id(row)}` }, notFound("get"));
    for (const link of links)
      add(
        `GET link ${link.rel} of a record outside the filter`,
        { method: "GET", path: `/${M}/${id(row)}/${link.rel}` },
        linkRefused(link.property) ?? 404,
      );
    add(
      `PUT outside the filter`,
      { method: "PUT", path: `/${M}/${id(row)}`, body: { ...f.visible(row), ...changed } },
      notFound("get", "put"),
    );
    add(
      `PATCH outside the filter`,
      { method: "PATCH", path: `/${M}/${id(row)}`, body: changed, headers: MERGE_PATCH },
      notFound("get"),
    );
    add(
      `DELETE outside the filter`,
      { method: "DELETE", path: `/${M}/${id(row)}` },
      notFound("delete"),
    );
    const leaving = Object.fromEntries(f.filterProperties.map((p) => [p, row[p]]));
    if (f.allows("patch"))
      add(`PATCH moving a record out of the filter`, {
        method: "PATCH",
        path: `/${M}/${id(f.a)}`,
        body: leaving,
        headers: MERGE_PATCH,
      });
    if (f.allows("put"))
      add(`PUT moving a record out of the filter`, {
        method: "PUT",
        path: `/${M}/${id(f.a)}`,
        body: { ...f.visible(f.a), ...leaving },
      });
    if (f.allows("create"))
      add(`POST of a record outside the filter`, {
        method: "POST",
        path: `/${M}/`,
        body: { ...fresh, ...leaving },
      });
  }

  // maxLimit: every query and page is bounded.
  if (d.maxLimit !== undefined && f.allows("query")) {
    add("query without limit", { method: "GET", path: `/${M}/` });
    add("query with an empty query string", { method: "GET", path: `/${M}/?` });
    add(`limit(${d.maxLimit + 1})`, { method: "GET", path: `/${M}/?limit(${d.maxLimit + 1})` });
    add(`Range of ${d.maxLimit + 1} items`, {
      method: "GET",
      path: `/${M}/`,
      headers: { range: `items=0-${d.maxLimit}` },
    });
    add("open Range", { method: "GET", path: `/${M}/`, headers: { range: "items=0-" } });
  }

  // operators: only the listed ones, filters and sorts on indexed properties only.
  if (d.operators !== undefined && f.allows("query")) {
    const value = id(f.a);
    for (const [operator, query] of Object.entries(OPERATOR_QUERIES)) {
      if (d.operators.includes(operator)) continue;
      add(`operator ${operator}`, {
        method: "GET",
        path: `/${M}/?${query(f.key, value)}${f.limit}`,
      });
      add(`event stream with operator ${operator}`, {
        method: "GET",
        path: `/${M}/?${query(f.key, value)}`,
        headers: EVENT_STREAM,
      });
    }
    const unindexed = Object.keys(f.a).find(
      (p) => !f.indexed.has(p) && !f.hidden.includes(p) && typeof f.a[p] === "string",
    );
    if (unindexed !== undefined && d.operators.includes("eq"))
      add(`filter on unindexed ${unindexed}`, {
        method: "GET",
        path: `/${M}/?${conditionOn(unindexed, f.a[unindexed])}${f.limit}`,
      });
    if (unindexed !== undefined && d.operators.includes("sort"))
      add(`sort on unindexed ${unindexed}`, {
        method: "GET",
        path: `/${M}/?sort(+${unindexed})${f.limit}`,
      });
  }
  return out;
}

/** One request to each endpoint of `model` (for roles that must not reach it at all). */
export function everyEndpoint(model: ModelName, status: number): Attempt[] {
  const samples = SAMPLES[model]!;
  const key = definitions[model].primaryKey;
  const [a] = samples.records as [Row];
  const id = encodeURIComponent(String(a[key]));
  const attempts: Omit<Attempt, "status">[] = [
    { label: "GET by id", method: "GET", path: `/${model}/${id}` },
    { label: "query", method: "GET", path: `/${model}/?limit(1)` },
    { label: "Range", method: "GET", path: `/${model}/`, headers: { range: "items=0-0" } },
    { label: "event stream", method: "GET", path: `/${model}/`, headers: EVENT_STREAM },
    { label: "POST", method: "POST", path: `/${model}/`, body: samples.fresh },
    { label: "PUT", method: "PUT", path: `/${model}/${id}`, body: a },
    {
      label: "PUT If-None-Match",
      method: "PUT",
      path: `/${model}/${encodeURIComponent(String(samples.fresh[key]))}`,
      body: samples.fresh,
      headers: { "if-none-match": "*" },
    },
    { label: "PATCH", method: "PATCH", path: `/${model}/${id}`, body: {}, headers: MERGE_PATCH },
    { label: "DELETE", method: "DELETE", path: `/${model}/${id}` },
    ...(definitions[model].links ?? []).map((link) => ({
      label: `GET link ${link.rel}`,
      method: "GET",
      path: `/${model}/${id}/${link.rel}`,
    })),
    ...["update", "condensed"].map((mode) => ({
      label: `change set (${mode})`,
      method: "POST",
      path: `/${model}/_changes`,
      body: { mode, changes: [{ type: "remove", id: a[key] }] },
    })),
    {
      label: "change set (replace)",
      method: "POST",
      path: `/${model}/_changes`,
      body: { mode: "replace", changes: [], records: [] },
    },
  ];
  return attempts.map((attempt) => ({ ...attempt, label: `${model} ${attempt.label}`, status }));
}
