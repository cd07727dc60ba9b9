/**
 * Index plans: how a store with hash and ordered indexes narrows a query's
 * candidates before the query runs. A plan only ever yields a superset of the
 * matching records; the query engine filters the candidates again, so a plan
 * may ignore any term it cannot answer.
 */

/** A bound of a range: the value and whether it is included. */
export interface RangeBound {
  readonly value: number | string | Date;
  readonly inclusive: boolean;
}

/** A plan for narrowing candidates; `intersect` and `union` combine plans as `and` and `or` do. */
export type IndexPlan =
  /** Every record is a candidate. */
  | { readonly kind: "scan" }
  /** No record can match (e.g. `in(a,())`). */
  | { readonly kind: "empty" }
  /** Hash lookups: records whose `field` equals one of `values` (`null` also finds missing). */
  | { readonly kind: "lookup"; readonly field: string; readonly values: readonly unknown[] }
  /** Ordered index range over values of the bounds' type. */
  | {
      readonly kind: "range";
      readonly field: string;
      readonly lower?: RangeBound;
      readonly upper?: RangeBound;
    }
  /** Ordered index prefix scan over string values. */
  | { readonly kind: "prefix"; readonly field: string; readonly prefix: string }
  /** Hash lookup on a compound index: one value per field, in the index's field order. */
  | {
      readonly kind: "compound";
      readonly fields: readonly string[];
      readonly values: readonly unknown[];
    }
  | { readonly kind: "intersect"; readonly plans: readonly IndexPlan[] }
  | { readonly kind: "union"; readonly plans: readonly IndexPlan[] };

/** What indexes a store has, as the planner needs to know it. */
export interface IndexCatalog {
  /** True when `field` (a top-level property) has a hash and an ordered index. */
  hasIndex(field: string): boolean;
  /** Compound (multi-field) indexes, each a list of fields. */
  readonly compound: readonly (readonly string[])[];
}
