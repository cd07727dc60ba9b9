/**
 * What generated code hands the model runtime: one `ModelDefinition` per
 * model (emitted by `perstore build`), and the shapes of what the runtime
 * gives back (`Model`, `ModelFacet`, the registry from `createModelRegistry`).
 */
import type { Kysely } from "kysely";
import type { FieldType, JsonQuery, Query, QuerySchema } from "../query/ast.js";
import type { HttpClientOptions } from "../store/remote/http-client.js";
import type { SqlTableSpec } from "../store/sql/table-spec.js";
import type { Id, QueryInput, QueryOptions, Results, Store } from "../store/types.js";
import type { ModelInstance } from "./model-instance.js";
import type { QueryPlan } from "./query-plan.js";

export { ModelInstance, type ValidationResult } from "./model-instance.js";

/** One ajv error, as a standalone validator reports it. */
export interface AjvErrorLike {
  /** JSON pointer of the failing value ("" for the record itself). */
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly schemaPath?: string;
}

/** An ajv (standalone) validate function: `true` when valid, else `.errors` lists every failure. */
export interface ModelValidateFunction {
  (data: unknown): boolean;
  errors?: readonly AjvErrorLike[] | null;
}

/** A model class as the runtime needs it: only its prototype is used (instances are made with `Object.create`). */
export interface ModelClass<TInstance> {
  readonly prototype: TInstance;
  readonly name: string;
}

/** A memory / SQL index over one or more properties. */
export interface ModelIndex {
  readonly name?: string;
  readonly fields: readonly string[];
  readonly unique?: boolean;
}

/** A schema link: `{ rel: "employer", href: "Company/{employerId}" }` resolved against the registry. */
export interface ModelLink {
  readonly rel: string;
  readonly href?: string;
  /** Target model name (a key of the registry). */
  readonly target: string;
  /** Local property holding the target's id (to-one, or to-many by array of ids); for a reverse link, the local property its value comes from (usually the primary key). */
  readonly property: string;
  /** Target property matched against the local value (the target's primary key, or e.g. `authorId` for `Book?authorId={id}`). */
  readonly targetProperty: string;
  /** `true` when the link yields an array (array of ids, or a reverse one-to-many). */
  readonly many: boolean;
}

/** A precompiled named-query predicate, for stores that filter in JS. */
export type NamedQueryPredicate = (record: any, parameters: readonly unknown[]) => boolean;

/** One `$n` parameter of a named query, as the compiler typed it. */
export interface NamedQueryParameter {
  readonly index: number;
  readonly type: FieldType;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly list?: boolean;
}

/** A named query of the schema (`queries` keyword), compiled ahead of time. */
export interface NamedQueryDefinition {
  /** The parsed, schema-bound query (what stores with `query` receive). */
  readonly query: Query;
  /**
   * `$1…` parameters, in order: the type of the value, the allowed values
   * when the property is an enum, and `list` for a whole-list parameter
   * (`in(p,$1)`: an array of such values).
   */
  readonly parameters: readonly NamedQueryParameter[];
  /** The same filter compiled to a JS predicate. */
  readonly predicate?: NamedQueryPredicate;
  /** The query as written in the schema. */
  readonly source?: string | JsonQuery;
}

/**
 * A restricted view of a model (deny by default). Method names: `get`,
 * `query` (also named queries), `create` (alias `add`), `put` (alias `save`:
 * also `instance.save()`), `patch`, `delete` (also `instance.delete()`).
 */
export interface FacetDefinition {
  readonly methods: readonly string[];
  /** Never returned, never accepted in writes, never usable in queries. */
  readonly hidden?: readonly string[];
  /** Cannot be written through the facet: absent on create, unchanged on put/patch/save. */
  readonly readonly?: readonly string[];
  /** Row filter: records outside it are invisible (reads) and untouchable (writes). */
  readonly filter?: Query;
  /** When set, every query must carry `limit(n)` with `n <= maxLimit`, and a named query run through the facet returns at most `maxLimit` records. */
  readonly maxLimit?: number;
  /** When set, queries may use only these operators (condition operators plus `and or not sort limit select unselect values distinct count first one ...`), and filter/sort only on indexed properties. Named queries are exempt: the schema's author wrote them. */
  readonly operators?: readonly string[];
  /**
   * The named queries the facet exposes (deny by default: none when absent),
   * whatever its `methods`. A query that names a hidden property is refused
   * (ACCESS_PROPERTY) unless its entry lists that property in `reveals`.
   */
  readonly queries?: readonly (string | FacetQueryGrant)[];
}

/** A named query a facet exposes, and the hidden properties it may read (and so reveal something about). */
export interface FacetQueryGrant {
  readonly name: string;
  readonly reveals?: readonly string[];
}

/** Typed wrappers for named queries; generated code narrows this (e.g. `PersonQueries`). */
export type NamedQueryMethods<TInstance> = Readonly<
  Record<string, (...parameters: any[]) => Promise<Results<TInstance>>>
>;

/**
 * Everything the runtime knows about one model, emitted by `perstore build`.
 * `TQueries` types `model.queries`; it is never read at run time.
 */
export interface ModelDefinition<
  TData extends object,
  TInstance extends ModelInstance<TData>,
  TQueries extends object = NamedQueryMethods<TInstance>,
> {
  readonly name: string;
  /** SQL table (snake_case of the name). */
  readonly table?: string;
  readonly primaryKey: string;
  readonly instanceClass: ModelClass<TInstance>;
  readonly validate: ModelValidateFunction;
  /** Property defaults applied on create (deep-copied). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /**
   * Properties whose schema admits `null`. A `null` read from a store for any
   * other property means "absent" (SQL returns NULL for a missing value) and
   * is dropped, so the record validates as it was written. Omitted: nulls
   * are kept as they are (generated definitions always list it).
   */
  readonly nullableProperties?: readonly string[];
  /** Properties that cannot change after create. */
  readonly readonlyProperties?: readonly string[];
  /** `false` when the schema refuses unknown properties (the validator enforces it). */
  readonly additionalProperties?: boolean;
  /** Indexes, unique ones included (a memory store gets them; SQL has them in DDL). */
  readonly indexes?: readonly ModelIndex[];
  readonly links?: readonly ModelLink[];
  readonly querySchema: QuerySchema;
  readonly queries?: Readonly<Record<string, NamedQueryDefinition>>;
  readonly facets?: Readonly<Record<string, FacetDefinition>>;
  /** Base model name, for sub-models (`allOf`). */
  readonly base?: string;
  readonly subModels?: readonly string[];
  /** The table spec the SQL store works over. */
  readonly sql?: SqlTableSpec;
  /** Type-level marker for `TQueries`; never set. */
  readonly $queries?: TQueries;
}

/** Query options of a model: the store's paging and parameters. */
export type ModelQueryOptions = QueryOptions;

/** Data accepted by `create`: properties with defaults (and the generated id) may be left out. */
export type CreateInput<TData> = Partial<TData>;

/** The methods a model and its facets share (a facet checks each against its rules first). */
export interface ModelMethods<
  TInstance extends ModelInstance<TData>,
  TData extends object = Record<string, unknown>,
  TQueries extends object = NamedQueryMethods<TInstance>,
> {
  /** The instance with this id, or `undefined`. */
  get(id: Id): Promise<TInstance | undefined>;
  /** Matching records as instances (with `totalCount`); projections and result operators give their value. */
  query<R = Results<TInstance>>(query: QueryInput, options?: ModelQueryOptions): Promise<R>;
  /**
   * How the store would answer `query` (see `QueryPlan`): the memory store's
   * index plan, the SQL store's statement and generic plan. Through a facet,
   * the same checks as `query` and the plan of the query the facet runs.
   */
  explain(query: QueryInput, options?: ModelQueryOptions): Promise<QueryPlan>;
  /**
   * Apply defaults, validate, add (ConflictError if the id or a unique value
   * exists). Every write stores a `format: date-time` property in its
   * normalised form (`new Date(v).toISOString()`, e.g.
   * "2024-01-01T00:00:00.000Z") once it has validated, so every store holds
   * and returns the same string and sorts alike.
   */
  create(data: CreateInput<TData>): Promise<TInstance>;
  /**
   * Validate and store (full replace, or create when absent); readonly
   * properties must not change (date-times compare by instant). When the
   * stored record belongs to a sub-model (an Employee put through Person),
   * it is replaced as that sub-model: the sub-model's validator and read-only
   * properties apply (so its required properties must be in `data`) and the
   * result is a sub-model instance.
   */
  put(data: TData | TInstance): Promise<TInstance>;
  /**
   * Merge `changes` into the stored record (an `undefined` value removes a
   * property), validate, store. NotFoundError when absent. A sub-model's
   * record keeps its own properties and is validated as the sub-model.
   */
  patch(id: Id, changes: Partial<TData>): Promise<TInstance>;
  /** Remove the record; resolves to whether it existed. */
  delete(id: Id): Promise<boolean>;
  /** The schema's named queries. */
  readonly queries: TQueries;
}

/**
 * A model's facets by name, when nothing narrower is known: any name, each a
 * full `ModelFacet`. Generated models pass their own (`BookFacets`), so
 * `facet(name)` takes only their facet names and returns each facet's type;
 * `Model<any, any, any>` (a map of every model) takes any name.
 */
export type FacetsOf<TInstance, TData extends object, TQueries extends object> = 0 extends 1 &
  TInstance
  ? any
  : {
      readonly [name: string]: ModelFacet<
        TInstance extends ModelInstance<TData> ? TInstance : never,
        TData,
        TQueries
      >;
    };

/** A model bound to a store. */
export interface Model<
  TInstance extends ModelInstance<TData>,
  TData extends object = Record<string, unknown>,
  TQueries extends object = NamedQueryMethods<TInstance>,
  TFacets extends object = FacetsOf<TInstance, TData, TQueries>,
> extends ModelMethods<TInstance, TData, TQueries> {
  readonly name: string;
  readonly definition: ModelDefinition<TData, TInstance, TQueries>;
  /** The store this model reads and writes (resolved lazily for SQL). */
  store(): Promise<Store<any>>;
  /** A restricted view (AccessError MODEL_UNKNOWN_FACET when the schema has no such facet). */
  facet<K extends keyof TFacets & string>(name: K): TFacets[K];
}

/**
 * A facet: the model's surface, each method checked against the facet
 * (AccessError when denied). A facet's `maxLimit` also caps what its named
 * queries return.
 */
export interface ModelFacet<
  TInstance extends ModelInstance<TData>,
  TData extends object = Record<string, unknown>,
  TQueries extends object = NamedQueryMethods<TInstance>,
> extends ModelMethods<TInstance, TData, TQueries> {
  readonly name: string;
  /** The name of the model it is a facet of. */
  readonly model: string;
}

/** Definitions keyed by model name, as `generated/index.ts` passes them. */
export type ModelDefinitions = Readonly<Record<string, ModelDefinition<any, any, any>>>;

/** What `createModelRegistry` returns: one `Model` per definition, wired for links. */
export type ModelRegistry<D extends ModelDefinitions> = {
  readonly [K in keyof D]: D[K] extends ModelDefinition<
    infer TData,
    infer TInstance,
    infer TQueries
  >
    ? Model<TInstance, TData, TQueries>
    : never;
};

/**
 * Where each model keeps its records: `stores[Name]`, else a `SqlStore`
 * over `db`, else a `RemoteStore` on the perstore server at `remote`, else a
 * new `MemoryStore` with the model's indexes. A sub-model
 * without its own entry shares its hierarchy's store (see
 * `createModelRegistry`). A store you pass enforces `unique` only through its
 * own indexes, so give it the model's:
 * `new JsonFileStore({ path: "people.json", indexes: PersonDefinition.indexes })`.
 */
/** Each option may also be `undefined` (= absent), so a caller under `exactOptionalPropertyTypes` can pass one on. */
export interface ModelRegistryOptions<D extends ModelDefinitions = ModelDefinitions> {
  readonly db?: Kysely<any> | undefined;
  readonly stores?: { readonly [K in keyof D]?: Store<any> | undefined } | undefined;
  /**
   * A perstore server (`perstore serve`, `createHandler`) that keeps the
   * records: each model is a `RemoteStore` on `<url>/<Model>/`. The URL, or
   * the URL with the client's options (timeout, retries, fetch).
   */
  readonly remote?: string | RemoteModelsOptions | undefined;
  /** The bearer token sent to `remote` (it selects the role, and so the facets, the server applies). */
  readonly token?: string | undefined;
}

/** `remote` with the HTTP client's options. */
export interface RemoteModelsOptions extends HttpClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:3000` (models are served under it). */
  readonly url: string;
}

/** The signature of `createModelRegistry` (implemented in `model-registry.ts`). */
export type CreateModelRegistry = <const D extends ModelDefinitions>(
  definitions: D,
  options?: ModelRegistryOptions<D>,
) => ModelRegistry<D>;
