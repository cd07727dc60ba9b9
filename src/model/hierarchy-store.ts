/**
 * One store per model hierarchy (`allOf` sub-models) outside SQL, as SQL
 * keeps one table per hierarchy: every model of the hierarchy sees the
 * shared store through a view that tags what it writes with the model's name
 * in `perstore_type` (the same discriminator the SQL table has) and reads
 * only records of its own model and sub-models. So `Person.query()` returns
 * Employees (the model picks the Employee class by the discriminator) and
 * `Employee.query()` only Employees. A record without a discriminator (data
 * that was in the store before) belongs to the hierarchy's root model.
 */
import { ConflictError } from "../errors/index.js";
import type { FilterNode, Query } from "../query/ast.js";
import { parseQuery } from "../query/index.js";
import type { Id, PutOptions, QueryInput, QueryOptions, Store } from "../store/types.js";

/** The discriminator property, as the SQL table-per-hierarchy column. */
export const DISCRIMINATOR = "perstore_type";

type Row = Record<string, unknown>;

/** Which model a stored record belongs to. */
function modelOf(record: Row, root: string): string {
  const type = record[DISCRIMINATOR];
  return typeof type === "string" ? type : root;
}

/**
 * A view of `shared` for `model`, whose records are those whose discriminator
 * is in `members` (the model and its sub-models); `root` owns untagged records.
 */
export function hierarchyStore(
  shared: Store<any>,
  model: string,
  root: string,
  members: readonly string[],
): Store<any> {
  const belongs = (record: unknown): record is Row =>
    record !== undefined && record !== null && members.includes(modelOf(record as Row, root));
  const isRoot = model === root;
  const view: Store<any> = { idProperty: shared.idProperty };
  const { get, put, add, query } = shared;
  if (get) {
    view.get = async (id: Id) => {
      const record: unknown = await get.call(shared, id);
      return belongs(record) ? record : undefined;
    };
  }
  if (put) {
    view.put = async (record: Row, options: PutOptions = {}) => {
      const id = options.id ?? (record[shared.idProperty ?? "id"] as Id | undefined);
      const existing: unknown = id === undefined || !get ? undefined : await get.call(shared, id);
      if (existing !== undefined && existing !== null && !belongs(existing)) {
        const owner = modelOf(existing as Row, root);
        throw new ConflictError(
          `${model} ${String(id)} is a record of ${owner}, which ${model} cannot replace`,
          "STORE_CONFLICT",
        );
      }
      // A replaced record keeps its model; a new one is this model's.
      const type =
        existing === undefined || existing === null ? model : modelOf(existing as Row, root);
      return put.call(shared, { ...record, [DISCRIMINATOR]: type }, options);
    };
  }
  if (add || put) {
    view.add = (record: Row, options: Omit<PutOptions, "overwrite"> = {}) => {
      const tagged = { ...record, [DISCRIMINATOR]: model };
      return add
        ? add.call(shared, tagged, options)
        : put!.call(shared, tagged, { ...options, overwrite: false });
    };
  }
  if (get && shared.delete) {
    const remove = shared.delete;
    view.delete = async (id: Id) =>
      belongs(await get.call(shared, id)) ? remove.call(shared, id) : false;
  }
  if (query) {
    // The root model sees the whole shared store; a sub-model only its own records.
    view.query = (input: QueryInput, options?: QueryOptions) =>
      query.call(
        shared,
        isRoot
          ? input
          : restrict(
              typeof input === "object" && "kind" in input && input.kind === "query"
                ? input
                : parseQuery(input),
              members,
            ),
        options,
      );
  }
  if (shared.on) {
    const on = shared.on;
    // Events of the shared store that concern this model's records (so a server can stream them).
    view.on = (event, listener) =>
      on.call(shared, event, (happened) => {
        const records = happened.records;
        if (records === undefined) return listener(happened);
        const kept = records.flatMap((record, i) => (belongs(record) ? [i] : []));
        if (kept.length === records.length) return listener(happened);
        if (kept.length === 0) return;
        const { ids, previous } = happened;
        listener({
          ...happened,
          records: kept.map((i) => records[i]),
          ...(ids !== undefined ? { ids: kept.map((i) => ids[i]!) } : {}),
          ...(previous !== undefined ? { previous: kept.map((i) => previous[i]!) } : {}),
        });
      });
  }
  return view;
}

/** `query` with `in(perstore_type, members)` and-ed to its filter. */
function restrict(query: Query, members: readonly string[]): Query {
  const term: FilterNode = {
    kind: "condition",
    op: "in",
    path: [DISCRIMINATOR],
    value: {
      kind: "list",
      items: members.map((name) => ({ kind: "literal", value: name, type: "string" })),
    },
  };
  return { ...query, filter: { kind: "and", terms: [term, query.filter] } };
}
