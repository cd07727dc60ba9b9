/**
 * perstore's vendor extensions on a model's record schema in the OpenAPI
 * document, so a client (the studio) reads the model from the document
 * instead of from descriptions:
 *
 * - `x-perstore-model`, `x-perstore-key` (the primary key's property);
 * - `x-perstore-links`: `{ rel, href, target, many }` (`many`: the link
 *   answers a list, to-many);
 * - `x-perstore-indexes`: `{ name, fields, unique }`, and the full-text index
 *   as `{ name, fields, unique: false, fullText: <language> }`;
 * - `x-perstore-facets`: what the schema's reader may know of the model's
 *   facets. The whole schema lists every facet; a facet's schema lists only
 *   that facet, without its hidden properties, and its filter only when the
 *   filter reads none of them. A facet's schema also drops the indexes and
 *   links that name a hidden property.
 *
 * The server cuts the links further to those the caller may follow
 * (src/server/openapi-for-role.ts).
 */
import { formatRql } from "../../query/format-rql.js";
import { propertiesUsed } from "../../query/properties-used.js";
import type { FacetIR, ModelIR, ProjectIR } from "../ir/types.js";

type Json = Record<string, unknown>;

/** The extensions of `model`'s schema, or of its `facet`'s schema. */
export function modelExtensions(model: ModelIR, ir: ProjectIR, facet?: FacetIR): Json {
  const hidden = new Set(facet?.hidden ?? []);
  const visible = (fields: readonly string[]) => fields.every((f) => !hidden.has(f));
  const indexes: Json[] = model.indexes
    .filter((index) => visible(index.fields))
    .map((index) => ({ name: index.name, fields: [...index.fields], unique: index.unique }));
  if (model.fullText && visible(model.fullText.fields))
    indexes.push({
      name: `${rootOf(model, ir).table}_perstore_search_idx`,
      fields: [...model.fullText.fields],
      unique: false,
      fullText: model.fullText.language,
    });
  const links = model.links
    .filter((link) => !hidden.has(link.property))
    .map((link) => ({ rel: link.rel, href: link.href, target: link.target, many: link.many }));
  return {
    "x-perstore-model": model.name,
    ...(facet ? { "x-perstore-facet": facet.name } : {}),
    "x-perstore-key": model.primaryKey,
    "x-perstore-links": links,
    "x-perstore-indexes": indexes,
    "x-perstore-facets": facet
      ? [facetEntry(facet, false)]
      : model.facets.map((f) => facetEntry(f, true)),
  };
}

/** One facet as a reader may know it; `whole`: the reader sees the whole model (hidden names too). */
function facetEntry(facet: FacetIR, whole: boolean): Json {
  const entry: Json = { name: facet.name, methods: [...facet.methods] };
  if (whole) entry.hidden = [...facet.hidden];
  entry.readonly = [...facet.readonly];
  if (facet.filter) {
    entry.filtered = true;
    const reads = propertiesUsed(facet.filter);
    if (whole || reads.every((p) => !facet.hidden.includes(p)))
      entry.filter = formatRql(facet.filter);
  }
  if (facet.maxLimit !== undefined) entry.maxLimit = facet.maxLimit;
  if (facet.operators) entry.operators = [...facet.operators];
  entry.queries = facet.queries.map((q) => q.name);
  return entry;
}

/** The model whose table a sub-model's records live in (its root). */
function rootOf(model: ModelIR, ir: ProjectIR): ModelIR {
  let current = model;
  for (let depth = 0; current.base !== undefined && depth < 64; depth++) {
    const base = ir.models.find((m) => m.name === current.base);
    if (!base) break;
    current = base;
  }
  return current;
}
