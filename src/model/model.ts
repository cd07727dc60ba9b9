/**
 * `Model`: a generated class bound to a store. Every read builds instances
 * of the class from copies of stored records; every write validates the
 * whole record first, so a refused write changes nothing.
 */
import { isDeepStrictEqual } from "node:util";
import { AccessError, NotFoundError } from "../errors/index.js";
import { parseQuery } from "../query/index.js";
import type { Query } from "../query/ast.js";
import { copyRecord } from "../store/copy.js";
import type { Id, QueryInput, Results, Store } from "../store/types.js";
import type {
  CreateInput,
  Model,
  ModelDefinition,
  ModelFacet,
  ModelQueryOptions,
  NamedQueryMethods,
} from "./definition.js";
import { DISCRIMINATOR } from "./hierarchy-store.js";
import { instantiate, recordOf, saveInstance, type DataRecord } from "./instantiate.js";
import { resolveLink } from "./link.js";
import { ModelFacetView } from "./model-facet.js";
import type { AnyInstance, InstanceBinding, ValidationResult } from "./model-instance.js";
import { createRecord, patchRecord, putRecord } from "./model-writes.js";
import { namedQueryMethods } from "./named-query.js";
import { dropAbsentNulls, inHierarchy, recordModel } from "./record-model.js";
import { shapeResult } from "./shape-result.js";
import { explainOn, type PlanRedaction, type QueryPlan } from "./query-plan.js";
import { normalDateTime } from "./date-time.js";
import { unsupported } from "./unsupported.js";
import { validationIssues } from "./validation.js";

/** How models find each other (for links and sub-model instances). */
export interface ModelContext {
  model(name: string): BoundModel<AnyInstance, object> | undefined;
}

/**
 * Which binding instances get: the model's own, its read-only one, or a
 * facet's, given the model the instance belongs to (a sub-model's for its
 * records).
 */
export type BindingChoice =
  "binding" | "readOnlyBinding" | ((model: BoundModel<AnyInstance, object>) => InstanceBinding);

/** Called with the final record (and the stored one, if any) just before validation; may return a replacement. */
export type PrepareWrite = (record: DataRecord, existing: DataRecord | undefined) => DataRecord;

/**
 * The properties instances leave out: one set for every record, or a set per
 * model of the record (a base model's facet hides a sub-model's own
 * properties; see facet-scope.ts). Called without a model for projected rows,
 * which no longer say their model: then every property any record hides.
 */
export type HiddenChoice = KeySet | ((model?: BoundModel<AnyInstance, object>) => KeySet);

/** The keys an instance leaves out: a set, or a test (a facet leaves out every key it does not show). */
export type KeySet = Pick<ReadonlySet<string>, "has">;

/** Who writes: a facet's checks (`prepare`), and the binding and hidden properties (`omit`) of the instance returned. */
export interface WriteVia {
  readonly prepare?: PrepareWrite;
  readonly binding?: BindingChoice;
  readonly omit?: HiddenChoice;
}

/** The runtime implementation of `Model` (any facet name, checked when called; generated types narrow it). */
export class BoundModel<TInstance extends AnyInstance, TData extends object> implements Model<
  TInstance,
  TData,
  any,
  any
> {
  readonly name: string;
  readonly queries: NamedQueryMethods<TInstance>;
  /** Binding of instances this model hands out: full access. */
  readonly binding: InstanceBinding;
  /** Binding of instances reached from a facet through a link: reads only. */
  readonly readOnlyBinding: InstanceBinding;
  readonly #store: () => Promise<Store<any>>;
  /** The registry, for links and sub-models. */
  readonly context: ModelContext;

  constructor(
    readonly definition: ModelDefinition<TData, TInstance, any>,
    store: () => Promise<Store<any>>,
    context: ModelContext,
  ) {
    this.name = definition.name;
    this.#store = store;
    this.context = context;
    this.binding = {
      link: (instance, rel) => resolveLink(this, instance, rel, "binding", this.context),
      save: (instance) => saveInstance(instance, (data) => this.put(data as TInstance)),
      delete: (instance) => this.delete(this.idOf(instance)),
      validate: (instance) => this.check(recordOf(instance)),
    };
    this.readOnlyBinding = {
      link: (instance, rel) => resolveLink(this, instance, rel, "readOnlyBinding", this.context),
      save: () =>
        Promise.reject(
          new AccessError(
            `${this.name} instances reached through a facet cannot be saved`,
            "ACCESS_METHOD",
          ),
        ),
      delete: () =>
        Promise.reject(
          new AccessError(
            `${this.name} instances reached through a facet cannot be deleted`,
            "ACCESS_METHOD",
          ),
        ),
      validate: (instance) => this.check(recordOf(instance)),
    };
    this.queries = namedQueryMethods(this, undefined);
  }

  store(): Promise<Store<any>> {
    return this.#store();
  }

  get primaryKey(): string {
    return this.definition.primaryKey;
  }

  idOf(value: object): Id {
    const id = (value as DataRecord)[this.primaryKey];
    if (typeof id !== "string" && typeof id !== "number") {
      throw new NotFoundError(`${this.name} instance has no ${this.primaryKey}`, "STORE_NOT_FOUND");
    }
    return id;
  }

  /* ---------- reading ---------- */

  /** A copy of the stored record (discriminator kept, `null`s normalised by the record's own model), or undefined. */
  async fetch(id: Id): Promise<DataRecord | undefined> {
    const store = await this.store();
    if (!store.get) throw unsupported(this.name, "get");
    const record = (await store.get(id)) as DataRecord | undefined;
    if (record === undefined || record === null) return undefined;
    const copy = copyRecord(record);
    return dropAbsentNulls(recordModel(this, copy), copy);
  }

  /** An instance for a stored record: a sub-model's class when the discriminator names one. */
  toInstance(record: DataRecord, binding: BindingChoice, omit?: HiddenChoice): TInstance {
    const model = recordModel(this, record);
    const data = dropAbsentNulls(
      model,
      inHierarchy(this) ? withoutKey(record, DISCRIMINATOR) : { ...record },
    );
    const chosen = typeof binding === "string" ? model[binding] : binding(model);
    const hidden = typeof omit === "function" ? omit(model) : omit;
    return instantiate(model.definition.instanceClass.prototype, data, chosen, hidden) as TInstance;
  }

  async get(id: Id): Promise<TInstance | undefined> {
    const record = await this.fetch(id);
    return record && this.toInstance(record, "binding");
  }

  /** Parse a query against this model's schema. */
  parse(query: QueryInput): Query {
    return parseQuery(query, { schema: this.definition.querySchema });
  }

  /** Run a parsed query on the store; raw store answer. */
  async run(query: Query, options: ModelQueryOptions = {}): Promise<unknown> {
    const store = await this.store();
    if (!store.query) throw unsupported(this.name, "query");
    return store.query(query, options);
  }

  /** Shape a store answer: records become instances; projections and values stay plain (copied). */
  shape(query: Query, result: unknown, binding: BindingChoice, omit?: HiddenChoice): unknown {
    return shapeResult(this, query, result, binding, omit);
  }

  async query<R = Results<TInstance>>(query: QueryInput, options?: ModelQueryOptions): Promise<R> {
    const parsed = this.parse(query);
    return this.shape(parsed, await this.run(parsed, options), "binding") as R;
  }

  /** How the store would answer a parsed query (a facet's filter already added; `redaction`: what the facet hides). */
  async plan(
    query: Query,
    options: ModelQueryOptions = {},
    redaction?: PlanRedaction,
  ): Promise<QueryPlan> {
    return explainOn(await this.store(), query, options, redaction);
  }

  explain(query: QueryInput, options?: ModelQueryOptions): Promise<QueryPlan> {
    return this.plan(this.parse(query), options);
  }

  /* ---------- writing ---------- */

  /** Schema issues of a record, as `instance.validate()` reports them. */
  check(record: DataRecord): ValidationResult {
    const errors = validationIssues(this.definition.validate, record);
    return { valid: errors.length === 0, errors };
  }

  /**
   * `value` of `property` as it is stored: a `format: date-time` string in its
   * normalised form (`toISOString()`), anything else as it is.
   */
  storedValue(property: string, value: unknown): unknown {
    return typeof value === "string" && this.definition.querySchema.fields[property] === "date-time"
      ? normalDateTime(value)
      : value;
  }

  /** Whether two values of `property` are stored alike (date-times compare by instant). */
  sameValue(property: string, a: unknown, b: unknown): boolean {
    return isDeepStrictEqual(this.storedValue(property, a), this.storedValue(property, b));
  }

  /** create(): defaults, an id when the key is a string, `prepare`, validation, add. */
  createRecord(data: object, via: WriteVia = {}): Promise<TInstance> {
    return createRecord(this, data, via) as Promise<TInstance>;
  }

  create(data: CreateInput<TData>): Promise<TInstance> {
    return this.createRecord(data);
  }

  /**
   * put(): full replace (or create when absent), keeping read-only
   * properties. A stored sub-model record (an Employee put through Person)
   * is replaced as that sub-model: its validator and read-only properties
   * apply and the result is a sub-model instance.
   */
  putRecord(data: object, via: WriteVia = {}): Promise<TInstance> {
    return putRecord(this, data, via) as Promise<TInstance>;
  }

  put(data: TData | TInstance): Promise<TInstance> {
    return this.putRecord(data);
  }

  /**
   * patch(): merge `changes` (an `undefined` value removes the property) into
   * the stored record, then as put(): a sub-model's record keeps its own
   * properties and is validated as the sub-model.
   */
  patchRecord(id: Id, changes: object, via: WriteVia = {}): Promise<TInstance> {
    return patchRecord(this, id, changes, via) as Promise<TInstance>;
  }

  patch(id: Id, changes: Partial<TData>): Promise<TInstance> {
    return this.patchRecord(id, changes);
  }

  async delete(id: Id): Promise<boolean> {
    const store = await this.store();
    if (!store.delete) throw unsupported(this.name, "delete");
    return store.delete(id);
  }

  facet(name: string): ModelFacet<TInstance, TData, any> {
    const definition = this.definition.facets?.[name];
    if (!definition || !Object.hasOwn(this.definition.facets ?? {}, name)) {
      throw new AccessError(`${this.name} has no facet "${name}"`, "MODEL_UNKNOWN_FACET");
    }
    return new ModelFacetView<TInstance, TData>(this, name, definition);
  }
}

function withoutKey(record: DataRecord, key: string): DataRecord {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
