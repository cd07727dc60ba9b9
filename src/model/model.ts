/**
 * `Model`: a generated class bound to a store. Every read builds instances
 * of the class from copies of stored records; every write validates the
 * whole record first, so a refused write changes nothing.
 */
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import {
  AccessError,
  NotFoundError,
  PerstoreError,
  ValidationError,
  type ValidationIssue,
} from "../errors/index.js";
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
import { instantiate, recordOf, saveInstance, type DataRecord } from "./instantiate.js";
import { resolveLink } from "./link.js";
import type { AnyInstance, InstanceBinding, ValidationResult } from "./model-instance.js";
import { namedQueryMethods } from "./named-query.js";
import { escapePointer } from "../errors/json-pointer.js";
import { validationIssues } from "./validation.js";
import { ModelFacetView } from "./model-facet.js";
import { DISCRIMINATOR } from "./hierarchy-store.js";
import { normalDateTime } from "./date-time.js";

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

/** Who writes: a facet's checks (`prepare`), and the binding and hidden properties (`omit`) of the instance returned. */
export interface WriteVia {
  readonly prepare?: PrepareWrite;
  readonly binding?: BindingChoice;
  readonly omit?: ReadonlySet<string>;
}

function unsupported(model: string, method: string): PerstoreError {
  return new PerstoreError("MODEL_UNSUPPORTED", `the store of ${model} has no ${method}()`);
}

/** The runtime implementation of `Model`. */
export class BoundModel<TInstance extends AnyInstance, TData extends object> implements Model<
  TInstance,
  TData,
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
    return this.modelFor(copy).normalise(copy);
  }

  /** Drop `null`s the schema does not admit: they are how SQL says "absent". Mutates `record`, a private copy. */
  private normalise(record: DataRecord): DataRecord {
    const nullable = this.definition.nullableProperties;
    if (!nullable) return record;
    for (const key of Object.keys(record)) {
      if (record[key] === null && !nullable.includes(key)) delete record[key];
    }
    return record;
  }

  /** Whether this model is part of an `allOf` hierarchy, whose stored records carry the discriminator. */
  private get inHierarchy(): boolean {
    return this.definition.base !== undefined || (this.definition.subModels?.length ?? 0) > 0;
  }

  /** The model a stored record belongs to: the sub-model its discriminator names, else this one. */
  private modelFor(record: DataRecord): BoundModel<AnyInstance, object> {
    const type = record[DISCRIMINATOR];
    return typeof type === "string" && type !== this.name && this.isBaseOf(type)
      ? (this.context.model(type) ?? this)
      : this;
  }

  /** An instance for a stored record: a sub-model's class when the discriminator names one. */
  toInstance(record: DataRecord, binding: BindingChoice, omit?: ReadonlySet<string>): TInstance {
    const model = this.modelFor(record);
    const data = model.normalise(
      this.inHierarchy ? withoutKey(record, DISCRIMINATOR) : { ...record },
    );
    const chosen = typeof binding === "string" ? model[binding] : binding(model);
    return instantiate(model.definition.instanceClass.prototype, data, chosen, omit) as TInstance;
  }

  private isBaseOf(name: string): boolean {
    for (
      let model = this.context.model(name);
      model;
      model = model.definition.base ? this.context.model(model.definition.base) : undefined
    ) {
      if (model.definition.base === this.name) return true;
    }
    return false;
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
  shape(
    query: Query,
    result: unknown,
    binding: BindingChoice,
    omit?: ReadonlySet<string>,
  ): unknown {
    const plain = query.projection !== undefined || query.aggregate !== undefined;
    // Projections of a hierarchy's records never show the internal discriminator.
    const hide = plain && this.inHierarchy ? new Set([...(omit ?? []), DISCRIMINATOR]) : omit;
    if (query.result && query.result.kind !== "first" && query.result.kind !== "one") return result;
    if (query.result) {
      if (result === undefined || result === null || typeof result !== "object") return result;
      return plain
        ? stripKeys(copyRecord(result as DataRecord), hide)
        : this.toInstance(result as DataRecord, binding, omit);
    }
    const rows = Array.isArray(result) ? result : [];
    const out = rows.map((row: unknown) =>
      plain || row === null || typeof row !== "object" || Array.isArray(row)
        ? stripKeys(copyRecord(row), hide)
        : this.toInstance(row as DataRecord, binding, omit),
    ) as Results<unknown>;
    const total = (result as { totalCount?: unknown } | undefined)?.totalCount;
    out.totalCount = typeof total === "number" ? total : out.length;
    return out;
  }

  async query<R = Results<TInstance>>(query: QueryInput, options?: ModelQueryOptions): Promise<R> {
    const parsed = this.parse(query);
    return this.shape(parsed, await this.run(parsed, options), "binding") as R;
  }

  /* ---------- writing ---------- */

  /** Schema issues of a record, as `instance.validate()` reports them. */
  check(record: DataRecord): ValidationResult {
    const errors = validationIssues(this.definition.validate, record);
    return { valid: errors.length === 0, errors };
  }

  private assertValid(record: DataRecord, ignoreMissingId: boolean): void {
    let issues = validationIssues(this.definition.validate, record);
    if (ignoreMissingId) {
      const idPointer = `/${escapePointer(this.primaryKey)}`;
      issues = issues.filter(
        (issue) => !(issue.keyword === "required" && issue.pointer === idPointer),
      );
    }
    if (issues.length > 0) throw this.invalid(record, issues);
  }

  /** A ValidationError naming the model and record, then each issue at its pointer. */
  private invalid(
    record: DataRecord,
    issues: readonly ValidationIssue[],
    code?: string,
  ): ValidationError {
    const id = record[this.primaryKey];
    const what =
      typeof id === "string" || typeof id === "number"
        ? `${this.name} ${String(id)}`
        : `new ${this.name}`;
    const list = issues.map((issue) => `${issue.pointer || "/"} ${issue.message}`).join("; ");
    return new ValidationError(issues, `${what} is invalid: ${list}`, code);
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

  /** Put a validated record in stored form (mutates it, a private copy): every store then holds the same strings. */
  private toStored(record: DataRecord): DataRecord {
    for (const [property, type] of Object.entries(this.definition.querySchema.fields)) {
      if (type === "date-time" && typeof record[property] === "string") {
        record[property] = normalDateTime(record[property]);
      }
    }
    return record;
  }

  private assertReadonlyKept(record: DataRecord, existing: DataRecord): void {
    const issues: ValidationIssue[] = [];
    for (const property of [this.primaryKey, ...(this.definition.readonlyProperties ?? [])]) {
      if (!this.sameValue(property, record[property], existing[property])) {
        issues.push({
          pointer: `/${escapePointer(property)}`,
          message: `is read-only and cannot change after create`,
          keyword: "readonly",
        });
      }
    }
    if (issues.length > 0) throw this.invalid(existing, issues, "MODEL_READONLY");
  }

  /** Read the stored record back after a write (stores may add values), as an instance. */
  private async reread(id: Id, record: DataRecord, via: WriteVia): Promise<TInstance> {
    const stored = await this.fetch(id);
    return this.toInstance(
      stored ?? { ...record, [this.primaryKey]: id },
      via.binding ?? "binding",
      via.omit,
    );
  }

  /** create(): defaults, an id when the key is a string, `prepare`, validation, add. */
  async createRecord(data: object, via: WriteVia = {}): Promise<TInstance> {
    let record = recordOf(data);
    delete record[DISCRIMINATOR];
    for (const [key, value] of Object.entries(this.definition.defaults ?? {})) {
      if (record[key] === undefined) record[key] = copyRecord(value);
    }
    const idType = this.definition.querySchema.fields[this.primaryKey];
    if (record[this.primaryKey] === undefined && (idType === "string" || idType === undefined)) {
      record[this.primaryKey] = randomUUID();
    }
    if (via.prepare) record = via.prepare(record, undefined);
    this.assertValid(record, record[this.primaryKey] === undefined);
    this.toStored(record);
    const store = await this.store();
    if (!store.add && !store.put) throw unsupported(this.name, "add");
    const id = store.add ? await store.add(record) : await store.put!(record, { overwrite: false });
    return this.reread(id, record, via);
  }

  create(data: CreateInput<TData>): Promise<TInstance> {
    return this.createRecord(data);
  }

  /**
   * Store `record` in place of `existing` (or as new): `prepare`, read-only
   * properties kept, validation, stored form. Called on the model the stored
   * record belongs to, so a sub-model's record is checked as the sub-model.
   */
  private async replace(
    record: DataRecord,
    existing: DataRecord | undefined,
    via: WriteVia,
  ): Promise<TInstance> {
    if (via.prepare) record = via.prepare(record, existing);
    if (existing) this.assertReadonlyKept(record, existing);
    this.assertValid(record, false);
    this.toStored(record);
    const store = await this.store();
    if (!store.put) throw unsupported(this.name, "put");
    return this.reread(await store.put(record, existing ? { overwrite: true } : {}), record, via);
  }

  /**
   * put(): full replace (or create when absent), keeping read-only
   * properties. A stored sub-model record (an Employee put through Person)
   * is replaced as that sub-model: its validator and read-only properties
   * apply and the result is a sub-model instance.
   */
  async putRecord(data: object, via: WriteVia = {}): Promise<TInstance> {
    const record = recordOf(data);
    delete record[DISCRIMINATOR];
    const id = record[this.primaryKey];
    const existing =
      typeof id === "string" || typeof id === "number" ? await this.fetch(id) : undefined;
    const owner = existing ? this.modelFor(existing) : this;
    return owner.replace(record, existing, via) as Promise<TInstance>;
  }

  put(data: TData | TInstance): Promise<TInstance> {
    return this.putRecord(data);
  }

  /**
   * patch(): merge `changes` (an `undefined` value removes the property) into
   * the stored record, then as put(): a sub-model's record keeps its own
   * properties and is validated as the sub-model.
   */
  async patchRecord(id: Id, changes: object, via: WriteVia = {}): Promise<TInstance> {
    const existing = await this.fetch(id);
    if (!existing) throw new NotFoundError(`${this.name} ${String(id)} does not exist`);
    const record: DataRecord = { ...existing };
    for (const [key, value] of Object.entries(recordOf(changes))) {
      if (value === undefined) delete record[key];
      else record[key] = value;
    }
    delete record[DISCRIMINATOR];
    return this.modelFor(existing).replace(record, existing, via) as Promise<TInstance>;
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

function stripKeys<T>(value: T, keys: ReadonlySet<string> | undefined): T {
  if (
    !keys ||
    keys.size === 0 ||
    value === null ||
    typeof value !== "object" ||
    Array.isArray(value)
  )
    return value;
  for (const key of keys) delete (value as DataRecord)[key];
  return value;
}
