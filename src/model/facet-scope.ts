/**
 * What a facet shows of each record it serves. A base model's facet serves
 * its sub-models' records too (`Person.directory` finds Employees), and a
 * facet is an object capability: what it does not grant stays out of sight.
 * So a sub-model's record is governed by the sub-model's facet of the same
 * name when it declares one (the build checks that facet grants no more than
 * the base's: SCHEMA_FACET_WIDER_THAN_BASE), and otherwise shows only the
 * properties the facet's own model declares: the sub-model's own are hidden.
 * Either way the base facet's hidden and read-only properties stay so. The
 * sub-model's facet governs properties only: the methods, row filter,
 * operators, `maxLimit` and named queries are the base facet's, the
 * capability the caller holds.
 *
 * What a facet shows is an allow-list: the properties the governing model
 * declares, less the hidden ones. A key a stored record carries that the
 * schema does not declare (written through the store itself, or older data)
 * is never shown, nor written, through a facet.
 */
import { DISCRIMINATOR } from "./hierarchy-store.js";
import type { ModelDefinition } from "./definition.js";

type AnyDefinition = ModelDefinition<any, any, any>;

/** The properties a facet hides from, and refuses writes to, one model's records. */
export interface FacetScope {
  /** Declared properties the facet hides (a query naming one is refused). */
  readonly hidden: ReadonlySet<string>;
  readonly readonly: ReadonlySet<string>;
  /** The only properties the facet shows and writes: declared and not hidden. */
  readonly visible: ReadonlySet<string>;
  /** Every key the facet leaves out of a record: all but `visible`. */
  readonly omitted: Pick<ReadonlySet<string>, "has">;
}

/** A scope showing `declared` less `hidden`. */
function scopeOf(
  declared: Iterable<string>,
  hidden: ReadonlySet<string>,
  readonly: ReadonlySet<string>,
): FacetScope {
  const visible = new Set([...declared].filter((property) => !hidden.has(property)));
  return { hidden, readonly, visible, omitted: { has: (key) => !visible.has(key) } };
}

/** The top-level properties `model` declares (query fields name nested ones `a/b`), its key included. */
function declaredOf(model: AnyDefinition): string[] {
  const out = Object.keys(model.querySchema.fields).filter((name) => !name.includes("/"));
  return out.includes(model.primaryKey) ? out : [model.primaryKey, ...out];
}

/** The scopes of facet `facet` of model `base`, per model of the records it serves. */
export class FacetScopes {
  readonly #base: AnyDefinition;
  readonly #facet: string;
  readonly #lookup: (name: string) => AnyDefinition | undefined;
  readonly #byModel = new Map<string, FacetScope>();
  #queryHidden: ReadonlySet<string> | undefined;

  constructor(
    base: AnyDefinition,
    facet: string,
    lookup: (name: string) => AnyDefinition | undefined,
  ) {
    this.#base = base;
    this.#facet = facet;
    this.#lookup = lookup;
  }

  /** The scope for records of the model called `name` (the base's own for a model outside its hierarchy). */
  of(name: string): FacetScope {
    let scope = this.#byModel.get(name);
    if (!scope) {
      const owner = name === this.#base.name ? undefined : this.#lookup(name);
      scope =
        owner !== undefined && this.#isBelowBase(owner)
          ? this.#subModelScope(owner)
          : this.#baseScope();
      this.#byModel.set(name, scope);
    }
    return scope;
  }

  /** The scope for a stored record (its discriminator names its model). */
  ofRecord(record: Readonly<Record<string, unknown>>): FacetScope {
    const type = record[DISCRIMINATOR];
    return this.of(typeof type === "string" ? type : this.#base.name);
  }

  /**
   * Every property some record the facet serves hides: a query naming one
   * could probe it (`gt(salary,100000)` through Person.directory), so the
   * facet refuses it, and a projection (whose rows no longer say their model)
   * leaves all of them out.
   */
  get queryHidden(): ReadonlySet<string> {
    if (!this.#queryHidden) {
      const all = new Set(this.#baseScope().hidden);
      for (const name of this.#descendants())
        for (const property of this.of(name).hidden) all.add(property);
      this.#queryHidden = all;
    }
    return this.#queryHidden;
  }

  #baseScope(): FacetScope {
    const definition = Object.hasOwn(this.#base.facets ?? {}, this.#facet)
      ? this.#base.facets![this.#facet]
      : undefined;
    return scopeOf(
      declaredOf(this.#base),
      new Set(definition?.hidden ?? []),
      new Set(definition?.readonly ?? []),
    );
  }

  #subModelScope(owner: AnyDefinition): FacetScope {
    const base = this.#baseScope();
    const own = Object.hasOwn(owner.facets ?? {}, this.#facet)
      ? owner.facets![this.#facet]
      : undefined;
    const declared = new Set(Object.keys(this.#base.querySchema.fields));
    const hidden = new Set(base.hidden);
    if (own) for (const property of own.hidden ?? []) hidden.add(property);
    else
      for (const property of Object.keys(owner.querySchema.fields))
        if (!declared.has(property)) hidden.add(property);
    const readonly = new Set([...base.readonly, ...(own?.readonly ?? [])]);
    return scopeOf(declaredOf(owner), hidden, readonly);
  }

  #isBelowBase(model: AnyDefinition): boolean {
    const seen = new Set<string>();
    for (let name = model.base; name !== undefined && !seen.has(name);) {
      if (name === this.#base.name) return true;
      seen.add(name);
      name = this.#lookup(name)?.base;
    }
    return false;
  }

  /** The base's sub-models at any depth. */
  #descendants(): string[] {
    const out: string[] = [];
    const pending = [...(this.#base.subModels ?? [])];
    while (pending.length > 0) {
      const name = pending.shift()!;
      if (out.includes(name) || name === this.#base.name) continue;
      out.push(name);
      pending.push(...(this.#lookup(name)?.subModels ?? []));
    }
    return out;
  }
}
