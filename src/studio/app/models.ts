/**
 * What the signed-in role may see and do, read from its /openapi.json: the
 * models it reaches, each one's properties (its facet's, nothing hidden), and
 * which of query / create / replace / delete its facet allows.
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
}

export interface ModelInfo {
  readonly name: string;
  /** The primary key's property name. */
  readonly key: string;
  readonly properties: readonly PropertyInfo[];
  readonly links: readonly LinkInfo[];
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
    const schema = resolve(
      doc,
      item.get.responses?.["200"]?.content?.["application/json"]?.schema?.items,
    );
    models.push({
      name,
      key: keyOf(one),
      properties: propertiesOf(doc, schema),
      links: linksOf(paths, match[1]!),
      canCreate: Boolean(item.post),
      canReplace: Boolean(one.put),
      canDelete: Boolean(one.delete),
    });
  }
  return models.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The primary key, from the `{id}` parameter's description ("The record's isbn"):
 * the document names it nowhere else yet (an `x-perstore-key` would be better).
 */
function keyOf(item: Json): string {
  const description = String(item.parameters?.[0]?.description ?? "");
  return /^The record's (\S+)$/.exec(description)?.[1] ?? "id";
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
 * A schema's properties; a model with sub-models is served as `anyOf` its own
 * schema and theirs: its columns are its own (the first branch's).
 */
function propertiesOf(doc: Json, raw: Json): PropertyInfo[] {
  let schema = raw;
  for (let depth = 0; !schema.properties && depth < 4; depth++) {
    const branch = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
    if (!branch) break;
    schema = resolve(doc, branch);
  }
  const required = new Set<string>(schema.required ?? []);
  return Object.entries<Json>(schema.properties ?? {}).map(([name, raw]) => {
    const property = resolve(doc, raw);
    return { name, type: typeName(property), required: required.has(name), schema: property };
  });
}

/** The role's links: `/<model>/{id}/<rel>` paths; the target is the model of the records they answer. */
function linksOf(paths: Json, model: string): LinkInfo[] {
  const prefix = `/${model}/{id}/`;
  return Object.entries<Json>(paths)
    .filter(([path, item]) => path.startsWith(prefix) && item.get)
    .map(([path, item]) => {
      const schema = item.get.responses?.["200"]?.content?.["application/json"]?.schema ?? {};
      const ref = String(schema.items?.$ref ?? schema.$ref ?? "");
      const target = item["x-perstore-link"] ?? ref.split("/").pop()?.split(".")[0] ?? "?";
      // The operation's summary is "Follow the link <href>" (emit-openapi.ts).
      const href = /^Follow the link (\S+)$/.exec(String(item.get.summary ?? ""))?.[1];
      return { rel: path.slice(prefix.length), target, ...(href ? { href } : {}) };
    });
}

/** A short type label: `string`, `integer`, `string[]`, `date-time`, `enum`. */
function typeName(schema: Json): string {
  if (Array.isArray(schema.enum)) return "enum";
  if (schema.type === "array") return `${typeName(schema.items ?? {})}[]`;
  if (typeof schema.format === "string") return schema.format;
  if (Array.isArray(schema.type)) return schema.type.join("|");
  return typeof schema.type === "string" ? schema.type : "any";
}
