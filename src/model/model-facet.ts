/**
 * A facet: a restricted view of a model, deny by default. It holds the model
 * privately and exposes only checked methods; the instances it returns are
 * bound to the facet, so `save()`/`delete()` on them go through the same
 * checks, and records reached through their links cannot be written.
 */
import { isDeepStrictEqual } from "node:util";
import { AccessError, NotFoundError } from "../errors/index.js";
import { matches } from "../query/index.js";
import type { FilterNode, Query } from "../query/ast.js";
import type { Id, QueryInput, Results } from "../store/types.js";
import type {
  CreateInput,
  FacetDefinition,
  FacetQueryGrant,
  ModelFacet,
  ModelQueryOptions,
  NamedQueryMethods,
} from "./definition.js";
import { recordOf, saveInstance, type DataRecord } from "./instantiate.js";
import { FacetScopes, type FacetScope } from "./facet-scope.js";
import { DISCRIMINATOR } from "./hierarchy-store.js";
import { resolveLink } from "./link.js";
import type { AnyInstance, InstanceBinding } from "./model-instance.js";
import type { BoundModel, HiddenChoice, PrepareWrite, WriteVia } from "./model.js";
import {
  checkFacetQuery,
  checkNoHiddenProperty,
  type FacetQueryRules,
} from "./facet-query-check.js";
import { namedQueryMethods } from "./named-query.js";
import { withFilter } from "./query-helpers.js";
import type { QueryPlan } from "./query-plan.js";
import { recordModel } from "./record-model.js";

/** Facet method names, and the names in `methods` that grant each. */
const GRANTS: Readonly<Record<string, readonly string[]>> = {
  get: ["get"],
  query: ["query"],
  create: ["create", "add"],
  put: ["put", "save"],
  patch: ["patch"],
  delete: ["delete"],
};

/** The runtime implementation of `ModelFacet`. */
export class ModelFacetView<
  TInstance extends AnyInstance,
  TData extends object,
> implements ModelFacet<TInstance, TData, any> {
  readonly name: string;
  readonly model: string;
  readonly queries: NamedQueryMethods<TInstance>;
  readonly #model: BoundModel<TInstance, TData>;
  readonly #methods: ReadonlySet<string>;
  /** Hidden and read-only properties per model of the records served (a sub-model's own ones are hidden). */
  readonly #scopes: FacetScopes;
  /** The hidden properties of each instance handed out, by its model. */
  readonly #hidden: HiddenChoice;
  readonly #filter: FilterNode | undefined;
  readonly #rules: FacetQueryRules;
  /** Named queries the facet exposes, with the hidden properties each may read. */
  readonly #namedQueries: ReadonlyMap<string, ReadonlySet<string>>;
  /** How the facet's writes are checked and answered. */
  readonly #via: WriteVia;
  /** The binding of the instances this facet hands out, per model (a base model's facet returns sub-model instances too). */
  readonly #bindings = new Map<BoundModel<AnyInstance, object>, InstanceBinding>();

  constructor(model: BoundModel<TInstance, TData>, name: string, definition: FacetDefinition) {
    this.name = name;
    this.model = model.name;
    this.#model = model;
    this.#methods = new Set(definition.methods);
    this.#scopes = new FacetScopes(
      model.definition,
      name,
      (other) => model.context.model(other)?.definition,
    );
    // An instance shows only what its model's scope allows; a projected row (no model) drops every hidden property.
    this.#hidden = (owner) =>
      owner === undefined ? this.#scopes.queryHidden : this.#scopes.of(owner.name).omitted;
    this.#filter = definition.filter?.filter;
    const restricted = definition.operators !== undefined;
    const searchFields = model.definition.sql?.fullText?.fields;
    this.#rules = {
      facet: `${model.name}.${name}`,
      // A query may not name what any record served hides (a sub-model's salary included).
      hidden: this.#scopes.queryHidden,
      ...(restricted
        ? { operators: new Set(definition.operators), indexed: indexedProperties(model) }
        : {}),
      ...(definition.maxLimit !== undefined ? { maxLimit: definition.maxLimit } : {}),
      ...(searchFields !== undefined ? { searchFields } : {}),
    };
    this.#via = { prepare: this.#prepare, binding: this.#bindingOf, omit: this.#hidden };
    this.queries = namedQueryMethods(model as never, {
      ...(this.#filter ? { filter: this.#filter } : {}),
      ...(definition.maxLimit !== undefined ? { maxLimit: definition.maxLimit } : {}),
      hidden: this.#hidden,
      binding: this.#bindingOf,
      allow: this.#allowNamedQuery,
    });
    this.#namedQueries = grantsOf(definition.queries ?? []);
  }

  /** The facet's `queries` list is the grant; a query naming a property the facet hides needs `reveals`. */
  readonly #allowNamedQuery = (name: string, query: Query): void => {
    const reveals = this.#namedQueries.get(name);
    if (reveals === undefined) {
      throw new AccessError(
        `facet ${this.#rules.facet} does not expose the named query ${name}`,
        "ACCESS_QUERY",
      );
    }
    checkNoHiddenProperty(query, this.#rules, reveals, name);
  };

  readonly #bindingOf = (owner: BoundModel<AnyInstance, object>): InstanceBinding => {
    let binding = this.#bindings.get(owner);
    if (!binding) {
      binding = {
        link: (instance, rel) => {
          const link = owner.definition.links?.find((candidate) => candidate.rel === rel);
          if (link && this.#scopes.of(owner.name).omitted.has(link.property)) {
            throw new AccessError(
              `facet ${this.#rules.facet} hides property ${link.property}`,
              "ACCESS_PROPERTY",
            );
          }
          // Targets come back read-only: a facet never hands out a writable record.
          return resolveLink(owner, instance, rel, "readOnlyBinding", owner.context);
        },
        save: (instance) => saveInstance(instance, (data) => this.put(data as TInstance)),
        delete: (instance) => this.delete(owner.idOf(instance)),
        validate: (instance) => {
          // Hidden properties are not on the instance: judge only what the facet shows.
          const result = owner.check(recordOf(instance));
          const hidden = this.#scopes.of(owner.name).omitted;
          const errors = result.errors.filter((issue) => !hidden.has(topProperty(issue.pointer)));
          return { valid: errors.length === 0, errors };
        },
      };
      this.#bindings.set(owner, binding);
    }
    return binding;
  };

  #allow(method: string): void {
    const grants = GRANTS[method] ?? [method];
    if (!grants.some((grant) => this.#methods.has(grant))) {
      throw new AccessError(`facet ${this.#rules.facet} does not allow ${method}`, "ACCESS_METHOD");
    }
  }

  #visible(record: DataRecord | undefined): record is DataRecord {
    return record !== undefined && (!this.#filter || matches(this.#filter, record, []));
  }

  /** The scope of a write: the stored record's model's (an Employee put through Person.directory), else the facet's model's. */
  #scopeOf(existing: DataRecord | undefined): FacetScope {
    return this.#scopes.of(
      existing === undefined ? this.#model.name : recordModel(this.#model, existing).name,
    );
  }

  /** Refuse writes that name hidden or facet-read-only properties, or leave the facet's rows. */
  readonly #prepare: PrepareWrite = (record, existing) => {
    const scope = this.#scopeOf(existing);
    // Whether the write sets `key`: a change to the stored value, or on create any value but the default.
    const writes = (key: string): boolean =>
      existing
        ? !this.#model.sameValue(key, record[key], existing[key])
        : key in record && !this.#isDefault(key, record[key]);
    const out = { ...record };
    // Deny by default: a key the facet does not show (hidden, or undeclared) is neither written nor dropped.
    const unseen = [...new Set([...Object.keys(record), ...Object.keys(existing ?? {})])].filter(
      (key) => scope.omitted.has(key) && key !== DISCRIMINATOR,
    );
    for (const key of unseen) {
      if (key in record && writes(key)) {
        throw new AccessError(
          `facet ${this.#rules.facet} ${scope.hidden.has(key) ? "hides" : "does not show"} property ${key}`,
          "ACCESS_PROPERTY",
        );
      }
      // A full replace through the facet keeps what the facet cannot see.
      if (existing && key in existing) out[key] = existing[key];
    }
    for (const key of scope.readonly) {
      if (writes(key))
        throw new AccessError(
          `facet ${this.#rules.facet} does not allow writing ${key}`,
          "ACCESS_READONLY",
        );
    }
    if (this.#filter && !matches(this.#filter, out, [])) {
      throw new AccessError(
        `facet ${this.#rules.facet} cannot write records outside its filter`,
        "ACCESS_FILTER",
      );
    }
    return out;
  };

  #isDefault(key: string, value: unknown): boolean {
    const defaults = this.#model.definition.defaults ?? {};
    return Object.hasOwn(defaults, key) && isDeepStrictEqual(defaults[key], value);
  }

  async get(id: Id): Promise<TInstance | undefined> {
    this.#allow("get");
    const record = await this.#model.fetch(id);
    return this.#visible(record)
      ? this.#model.toInstance(record, this.#bindingOf, this.#hidden)
      : undefined;
  }

  async query<R = Results<TInstance>>(
    query: QueryInput,
    options: ModelQueryOptions = {},
  ): Promise<R> {
    const restricted = this.#restricted(query, options);
    return this.#model.shape(
      restricted,
      await this.#model.run(restricted, options),
      this.#bindingOf,
      this.#hidden,
    ) as R;
  }

  /** The plan of the query `query()` would run: the same checks, the facet's filter added, what it hides redacted. */
  async explain(query: QueryInput, options: ModelQueryOptions = {}): Promise<QueryPlan> {
    const restricted = this.#restricted(query, options);
    return this.#model.plan(restricted, options, {
      hidden: this.#scopes.queryHidden,
      filtered: this.#filter !== undefined,
    });
  }

  /** A query as the facet runs it: allowed, checked against its rules, restricted by its filter. */
  #restricted(query: QueryInput, options: ModelQueryOptions): Query {
    this.#allow("query");
    const parsed = this.#model.parse(query);
    const page = options.end === undefined ? undefined : options.end - (options.start ?? 0);
    checkFacetQuery(parsed, this.#rules, options.parameters ?? [], page);
    return withFilter(parsed, this.#filter);
  }

  async create(data: CreateInput<TData>): Promise<TInstance> {
    this.#allow("create");
    return this.#model.createRecord(data, this.#via);
  }

  async put(data: TData | TInstance): Promise<TInstance> {
    this.#allow("put");
    const id = (data as DataRecord)[this.#model.primaryKey];
    const existing =
      typeof id === "string" || typeof id === "number" ? await this.#model.fetch(id) : undefined;
    if (existing && !this.#visible(existing))
      throw new NotFoundError(`${this.model} ${String(id)} does not exist`);
    if (!existing) this.#allow("create");
    return this.#model.putRecord(data, this.#via);
  }

  async patch(id: Id, changes: Partial<TData>): Promise<TInstance> {
    this.#allow("patch");
    if (!this.#visible(await this.#model.fetch(id)))
      throw new NotFoundError(`${this.model} ${String(id)} does not exist`);
    return this.#model.patchRecord(id, changes, this.#via);
  }

  async delete(id: Id): Promise<boolean> {
    this.#allow("delete");
    if (!this.#visible(await this.#model.fetch(id))) return false;
    return this.#model.delete(id);
  }
}

/** A facet's `queries` entries by name: `"q"` reveals nothing, `{ name, reveals }` the listed properties. */
function grantsOf(
  entries: readonly (string | FacetQueryGrant)[],
): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map(
    entries.map((entry) =>
      typeof entry === "string"
        ? [entry, new Set<string>()]
        : [entry.name, new Set(entry.reveals ?? [])],
    ),
  );
}

function indexedProperties(model: BoundModel<AnyInstance, object>): ReadonlySet<string> {
  const out = new Set<string>([model.primaryKey]);
  for (const index of model.definition.indexes ?? [])
    for (const field of index.fields) out.add(field);
  return out;
}

function topProperty(pointer: string): string {
  return (pointer.split("/")[1] ?? "").replace(/~1/g, "/").replace(/~0/g, "~");
}
