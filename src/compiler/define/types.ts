/**
 * The types of run-time models: what `defineModel` accepts, and the records
 * and instances it gives back. With no type argument the record type comes
 * from the schema itself (shorthand and simple `type`s; write it `as const`
 * or inline for literal `required` lists); pass your own (for example
 * `FromSchema<typeof schema>` from json-schema-to-ts) for the full detail.
 */
import type { Kysely } from "kysely";
import type { Model, ModelInstance } from "../../model/index.js";
import type { LegacyStore } from "../../store/adapt-store.js";
import type { Results, Store } from "../../store/types.js";

/** Perstore's property shorthand: `{ properties: { name: String, born: Date } }`. */
export type ShorthandConstructor =
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | DateConstructor
  | ArrayConstructor
  | ObjectConstructor;

/** A model's schema at run time: a schema file's JSON Schema, shorthand allowed as property values, and `prototype` an object of methods. */
export interface RuntimeSchema {
  readonly properties?: { readonly [name: string]: ShorthandConstructor | object | boolean };
  /** Methods of the model's instances (`this` is the instance). */
  readonly prototype?: object;
  readonly [keyword: string]: unknown;
}

/** Where a run-time model keeps its records. */
export type RuntimeStore = Store<any> | LegacyStore;

/** `defineModels` options: as `createModels` takes them. */
export interface DefineModelsOptions<K extends PropertyKey = string> {
  /** A SqlStore over this database for each model without a store of its own (its table must exist). */
  readonly db?: Kysely<any>;
  /** Stores by model name; a model without one gets a SqlStore over `db`, else a new MemoryStore. */
  readonly stores?: { readonly [P in K]?: RuntimeStore };
}

/** `defineModel` options. */
export interface DefineModelOptions {
  /** When no store is given: a SqlStore over this database (the model's table must exist). */
  readonly db?: Kysely<any>;
}

type JsonTypeOf<T> = T extends "string"
  ? string
  : T extends "number" | "integer"
    ? number
    : T extends "boolean"
      ? boolean
      : T extends "array"
        ? unknown[]
        : T extends "object"
          ? Record<string, unknown>
          : T extends "null"
            ? null
            : unknown;

/** The value type of one property schema (shorthand, `enum`, `const` or `type`; otherwise `unknown`). */
export type PropertyValue<P> = P extends DateConstructor
  ? string
  : P extends StringConstructor
    ? string
    : P extends NumberConstructor
      ? number
      : P extends BooleanConstructor
        ? boolean
        : P extends ArrayConstructor
          ? unknown[]
          : P extends ObjectConstructor
            ? Record<string, unknown>
            : P extends { readonly enum: readonly (infer E)[] }
              ? E
              : P extends { readonly const: infer C }
                ? C
                : P extends { readonly type: readonly (infer U)[] }
                  ? JsonTypeOf<U>
                  : P extends { readonly type: infer T }
                    ? JsonTypeOf<T>
                    : unknown;

type PropertiesOf<S> = S extends { readonly properties: infer P } ? P : {};
type RequiredOf<S> = S extends { readonly required: readonly (infer K)[] } ? K : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** `id: string` for a model that names no primary key, declares no `id` and has no base: defineModel adds it. */
type ImplicitId<S> = S extends { readonly primaryKey: string } | { readonly allOf: unknown }
  ? {}
  : "id" extends keyof PropertiesOf<S>
    ? {}
    : { id: string };

/** The record type a schema describes (required properties required, the rest optional). */
export type RecordOf<S> = Simplify<
  ImplicitId<S> & {
    -readonly [K in keyof PropertiesOf<S> as K extends RequiredOf<S> ? K : never]: PropertyValue<
      PropertiesOf<S>[K]
    >;
  } & {
    -readonly [K in keyof PropertiesOf<S> as K extends RequiredOf<S> ? never : K]?: PropertyValue<
      PropertiesOf<S>[K]
    >;
  }
>;

/** The prototype's methods, as instances have them. */
export type MethodsOf<S> = S extends { readonly prototype: infer P extends object }
  ? { [K in keyof P as P[K] extends (...args: any[]) => unknown ? K : never]: P[K] }
  : {};

/** One accessor per link of the schema: `book.author()`. */
export type LinksOf<S> = S extends { readonly links: readonly { readonly rel: infer R }[] }
  ? { [K in R & string]: () => Promise<unknown> }
  : {};

/** A run-time model's instance: its record, its methods, its links, and save/delete/validate. */
export type DefinedInstance<TData extends object, S = {}> = ModelInstance<TData> &
  TData &
  MethodsOf<S> &
  LinksOf<S>;

/** `TData` when given, else the record type the schema describes. */
export type DataFor<TData, S> = [TData] extends [never] ? RecordOf<S> : TData;

/** The model `defineModel` returns. */
export type DefinedModel<TData extends object, S = {}> = Model<
  DefinedInstance<TData, S>,
  TData,
  {
    readonly [Q in QueryNamesOf<S>]: (
      ...parameters: any[]
    ) => Promise<Results<DefinedInstance<TData, S>>>;
  }
>;

/** The model a schema of `M` extends through `allOf: [{ "$ref": "Base" }]`, if any. */
type BaseIn<M, K extends keyof M> = M[K] extends {
  readonly allOf: readonly [{ readonly $ref: infer B }, ...unknown[]];
}
  ? B extends keyof M
    ? B
    : never
  : never;

/** `K` and the models above it (two levels up are typed; deeper ones still work at run time). */
type LineIn<M, K extends keyof M> =
  K | BaseIn<M, K> | ([BaseIn<M, K>] extends [never] ? never : BaseIn<M, BaseIn<M, K>>);

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;

/** A model's record within `defineModels`: its own and its bases' (through `allOf`). */
export type RecordIn<M, K extends keyof M> = Simplify<
  UnionToIntersection<{ [L in LineIn<M, K>]: RecordOf<M[L]> }[LineIn<M, K>]>
>;

/** An instance of `T` as a link yields it (its record and methods). */
type LinkedInstance<M, T> = T extends keyof M
  ? ModelInstance<RecordIn<M, T> & object> & RecordIn<M, T> & MethodsIn<M, T>
  : unknown;

/** `Book?authorId={id}` and `Author/{coAuthorIds}` (an array) give many; `Author/{authorId}` one. */
type LinkAccessor<M, H, R> = H extends `${infer T}?${string}`
  ? () => Promise<LinkedInstance<M, T>[]>
  : H extends `${infer T}/{${infer P}}`
    ? P extends keyof R
      ? NonNullable<R[P]> extends readonly unknown[]
        ? () => Promise<LinkedInstance<M, T>[]>
        : () => Promise<LinkedInstance<M, T> | undefined>
      : () => Promise<LinkedInstance<M, T> | undefined>
    : () => Promise<unknown>;

type OwnLinksIn<M, K extends keyof M> = M[K] extends { readonly links: readonly (infer L)[] }
  ? {
      [E in L as E extends { readonly rel: infer R extends string } ? R : never]: E extends {
        readonly href: infer H;
      }
        ? LinkAccessor<M, H, RecordIn<M, K>>
        : () => Promise<unknown>;
    }
  : {};

type MethodsIn<M, K extends keyof M> = UnionToIntersection<
  { [L in LineIn<M, K>]: MethodsOf<M[L]> }[LineIn<M, K>]
>;

/** A model's methods and link accessors within `defineModels`, its bases' included. */
type BehaviourIn<M, K extends keyof M> = MethodsIn<M, K> &
  UnionToIntersection<{ [L in LineIn<M, K>]: OwnLinksIn<M, L> }[LineIn<M, K>]>;

/** An instance of model `K` of `defineModels`. */
export type InstanceIn<M, K extends keyof M> = ModelInstance<RecordIn<M, K> & object> &
  RecordIn<M, K> &
  BehaviourIn<M, K>;

type QueryNamesOf<S> = S extends { readonly queries: infer Q } ? keyof Q & string : never;

/** `model.queries`: one method per named query (the model's and its bases'). */
export type QueriesIn<M, K extends keyof M, I> = {
  readonly [Q in { [L in LineIn<M, K>]: QueryNamesOf<M[L]> }[LineIn<M, K>]]: (
    ...parameters: any[]
  ) => Promise<Results<I>>;
};

/** The models `defineModels` returns, by name. */
export type DefinedModels<M> = {
  readonly [K in keyof M]: Model<
    InstanceIn<M, K>,
    RecordIn<M, K> & object,
    QueriesIn<M, K, InstanceIn<M, K>>
  >;
};

/** What `this` is in the prototype methods of each schema given to `defineModels`. */
export type WithThisIn<M> = {
  readonly [K in keyof M]: M[K] & { readonly prototype?: ThisType<InstanceIn<M, K>> };
};

/** Types `this` in a schema's prototype methods as the model's instance. */
export type WithThis<S, TData extends object> = S & {
  readonly prototype?: ThisType<DefinedInstance<TData, S>>;
};
