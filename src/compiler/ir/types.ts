/**
 * The compiler's intermediate representation: what every emitter (types,
 * classes, validators, queries, db.ts, DDL, migrations) reads. It is readonly,
 * sorted by model name and fully resolved ($refs and inheritance applied), so
 * emitters are pure functions of it and output never depends on read order.
 */
import type { FieldType, JsonQuery, Query } from "../../query/ast.js";

/** A JSON Schema object as read from disk (resolved, frozen). */
export type JsonSchemaObject = { readonly [key: string]: unknown };

/** The whole project: every model, sorted by name. */
export interface ProjectIR {
  readonly models: readonly ModelIR[];
}

/** One model: one `*.schema.json` file. */
export interface ModelIR {
  readonly name: string;
  /** Path of the schema file relative to the project root, posix separators. */
  readonly file: string;
  /** snake_case of the name: BookReview -> book_review. */
  readonly table: string;
  readonly primaryKey: string;
  /** The base model, for a sub-model declared with `allOf: [{ "$ref": "Base" }]`. */
  readonly base?: string;
  /** Direct and indirect sub-models, sorted. */
  readonly subModels: readonly string[];
  /** The resolved schema, frozen. */
  readonly schema: JsonSchemaObject;
  /** Inherited first, then own, in schema order. */
  readonly properties: readonly PropertyIR[];
  readonly additionalProperties: boolean;
  readonly indexes: readonly IndexIR[];
  readonly links: readonly LinkIR[];
  /** The `prototype` mixin: module path relative to the project root and its exported functions (sorted). */
  readonly prototype?: { readonly module: string; readonly exports: readonly string[] };
  readonly queries: readonly NamedQueryIR[];
  readonly facets: readonly FacetIR[];
  /** `fullText`: the text properties `search(words)` looks in (a sub-model has its base's). */
  readonly fullText?: FullTextIR;
}

/** A model's full-text index: a generated `tsvector` column in SQL, the `fullText` wrapper elsewhere. */
export interface FullTextIR {
  /** String properties, in the order the schema lists them. */
  readonly fields: readonly string[];
  /** The text-search configuration: "simple" (default) or a language such as "english". */
  readonly language: string;
}

/** One top-level property of a model. */
export interface PropertyIR {
  readonly name: string;
  readonly type: FieldType;
  readonly format?: string;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  /** For arrays: the item type. */
  readonly items?: { readonly type: FieldType; readonly format?: string };
  readonly required: boolean;
  readonly nullable: boolean;
  readonly readonly: boolean;
  readonly unique: boolean;
  readonly indexed: boolean;
  readonly default?: unknown;
  readonly renamedFrom?: string;
  /** The model it is declared on, when inherited. */
  readonly inheritedFrom?: string;
  /** JSON pointer of the property's schema in its file. */
  readonly pointer: string;
}

/** A memory/SQL index. */
export interface IndexIR {
  /** `<table>_<fields>_idx`, or `_key` when unique. */
  readonly name: string;
  readonly fields: readonly string[];
  readonly unique: boolean;
}

/** A hyper-schema style link, resolved to its target model. */
export interface LinkIR {
  readonly rel: string;
  readonly href: string;
  /** Target model name. */
  readonly target: string;
  /** Local property holding the id (e.g. `employerId`); for a reverse link, the local key (usually the primary key). */
  readonly property: string;
  /** Property of the target matched against `property` (its primary key, or the foreign key of a reverse link). */
  readonly targetProperty: string;
  /** True when the local property is an array of ids, or the link is a reverse one-to-many: href `Book?authorId={id}`. */
  readonly many: boolean;
}

/** A named query from the schema's `queries`. */
export interface NamedQueryIR {
  readonly name: string;
  readonly source: string | JsonQuery;
  /** Parsed and bound to the model's query schema. */
  readonly query: Query;
  /** `$n` placeholders, sorted by index, typed from the properties they are compared with. */
  readonly parameters: readonly QueryParameterIR[];
  /** The ancestor that declares this query, when the model inherits it. */
  readonly inheritedFrom?: string;
}

/** One `$n` of a named query. */
export interface QueryParameterIR {
  readonly index: number;
  /** The type of the value (of each element, for a list). */
  readonly type: FieldType;
  /** The allowed values, when the property compared with is an enum. */
  readonly enum?: readonly (string | number | boolean | null)[];
  /** True when the parameter is a whole list: `in(p,$1)`, `out(p,$1)`. */
  readonly list?: true;
}

/** A facet: a restricted, deny-by-default view of a model. */
export interface FacetIR {
  readonly name: string;
  readonly methods: readonly string[];
  readonly hidden: readonly string[];
  readonly readonly: readonly string[];
  readonly filter?: Query;
  readonly maxLimit?: number;
  readonly operators?: readonly string[];
  /** The named queries the facet exposes (none unless listed), in the order listed. */
  readonly queries: readonly FacetQueryIR[];
}

/** A named query a facet exposes, and the hidden properties it is acknowledged to read. */
export interface FacetQueryIR {
  readonly name: string;
  readonly reveals: readonly string[];
}
