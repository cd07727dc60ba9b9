/**
 * What the signed-in role may see and do, read from its /openapi.json: the
 * models it reaches, each one's properties (its facet's, nothing hidden), key,
 * links, indexes and facets (the record schema's `x-perstore-*` extensions,
 * src/compiler/emit/openapi-extensions.ts), and which of query / create /
 * replace / delete its facet allows.
 */

export interface PropertyInfo {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  /** Its JSON Schema as the role sees it ($ref resolved), for the form. */
  readonly schema: Readonly<Record<string, any>>;
}

/** A link the role may follow: `GET /<model>/<id>/<rel>` reaches `target` records. */
export interface LinkInfo {
  readonly rel: string;
  readonly target: string;
  /** The schema's href template, e.g. `Book?authorId={id}` (to-many) or `Author/{authorId}`. */
  readonly href?: string;
  /** To-many: the link answers a list of records. */
  readonly many: boolean;
}

export interface IndexInfo {
  readonly name: string;
  readonly fields: readonly string[];
  readonly unique: boolean;
  /** A full-text index: its text-search configuration ("simple", "english", ...). */
  readonly fullText?: string;
}

/** A facet as the role may know it: its own facet, or every facet when it sees the whole model. */
export interface FacetInfo {
  readonly name: string;
  readonly methods: readonly string[];
  /** Present only for a role that sees the whole model. */
  readonly hidden?: readonly string[];
  readonly readonly: readonly string[];
  readonly filtered: boolean;
  /** The filter (RQL), unless it reads a property the role may not know of. */
  readonly filter?: string;
  readonly maxLimit?: number;
}

export interface ModelInfo {
  readonly name: string;
  /** The primary key's property name. */
  readonly key: string;
  readonly properties: readonly PropertyInfo[];
  readonly links: readonly LinkInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly facets: readonly FacetInfo[];
  /** The facet the role reaches the model through (undefined: the whole model). */
  readonly facet?: string;
  readonly canCreate: boolean;
  readonly canReplace: boolean;
  readonly canDelete: boolean;
}

type Json = Record<string, any>;

/** The models of an OpenAPI document, sorted by name. */
export function modelsOf(doc: Json): ModelInfo[] {
  const paths: Json = doc.paths ?? {};
  const models: ModelInfo[] = [];
  for (const [path, item] of Object.entries<Json>(paths)) {
    const match = /^\/([^/{}]+)\/$/.exec(path);
    if (!match || !item.get) continue;
    const name = decodeURIComponent(match[1]!);
    const one: Json = paths[`/${match[1]}/{id}`] ?? {};
    const schema = ownSchema(
      doc,
      resolve(doc, item.get.responses?.["200"]?.content?.["application/json"]?.schema?.items),
    );
    const facet = schema["x-perstore-facet"];
    models.push({
      name,
      key: typeof schema["x-perstore-key"] === "string" ? schema["x-perstore-key"] : "id",
      properties: propertiesOf(doc, schema),
      links: listOf(schema["x-perstore-links"]).map(linkOf),
      indexes: listOf(schema["x-perstore-indexes"]).map(indexOf),
      facets: listOf(schema["x-perstore-facets"]).map(facetOf),
      ...(typeof facet === "string" ? { facet } : {}),
      canCreate: Boolean(item.post),
      canReplace: Boolean(one.put),
      canDelete: Boolean(one.delete),
    });
  }
  return models.sort((a, b) => a.name.localeCompare(b.name));
}

const listOf = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((v) => v !== null && typeof v === "object") : [];
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function linkOf(link: Json): LinkInfo {
  return {
    rel: String(link.rel),
    target: String(link.target),
    ...(typeof link.href === "string" ? { href: link.href } : {}),
    many: link.many === true,
  };
}

function indexOf(index: Json): IndexInfo {
  return {
    name: String(index.name),
    fields: strings(index.fields),
    unique: index.unique === true,
    ...(typeof index.fullText === "string" ? { fullText: index.fullText } : {}),
  };
}

function facetOf(facet: Json): FacetInfo {
  return {
    name: String(facet.name),
    methods: strings(facet.methods),
    ...(Array.isArray(facet.hidden) ? { hidden: strings(facet.hidden) } : {}),
    readonly: strings(facet.readonly),
    filtered: facet.filtered === true,
    ...(typeof facet.filter === "string" ? { filter: facet.filter } : {}),
    ...(typeof facet.maxLimit === "number" ? { maxLimit: facet.maxLimit } : {}),
  };
}

function resolve(doc: Json, schema: Json | undefined): Json {
  let current = schema ?? {};
  for (let depth = 0; typeof current.$ref === "string" && depth < 8; depth++) {
    const parts = String(current.$ref).replace(/^#\//, "").split("/").map(unescapePointer);
    current = parts.reduce<Json>((node, part) => node?.[part], doc) ?? {};
  }
  return current;
}

function unescapePointer(part: string): string {
  return part.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * A model with sub-models is served as `anyOf` its own schema and theirs: its
 * columns and extensions are its own (the first branch's).
 */
function ownSchema(doc: Json, raw: Json): Json {
  let schema = raw;
  for (let depth = 0; !schema.properties && depth < 4; depth++) {
    const branch = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
    if (!branch) break;
    schema = resolve(doc, branch);
  }
  return schema;
}

function propertiesOf(doc: Json, schema: Json): PropertyInfo[] {
  const required = new Set<string>(schema.required ?? []);
  return Object.entries<Json>(schema.properties ?? {}).map(([name, raw]) => {
    const property = resolve(doc, raw);
    return { name, type: typeName(property), required: required.has(name), schema: property };
  });
}

/** A short type label: `string`, `integer`, `string[]`, `date-time`, `enum`. */
export function typeName(schema: Json): string {
  if (Array.isArray(schema.enum)) return "enum";
  if (schema.type === "array") return `${typeName(schema.items ?? {})}[]`;
  if (typeof schema.format === "string") return schema.format;
  if (Array.isArray(schema.type)) return schema.type.join("|");
  return typeof schema.type === "string" ? schema.type : "any";
}
