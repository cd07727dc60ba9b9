/**
 * A facet (or whole-model grant) seen as a store, so a change set is applied
 * by the same `storeChannel` every store uses, with every write checked by the
 * facet. Its `transaction` undoes what was done when a change fails: each
 * write first keeps the record's stored form (from the model's own store, so
 * hidden properties come back too), and a failure restores them in reverse.
 */
import type { Model, ModelMethods } from "../model/index.js";
import { copyRecord } from "../store/copy.js";
import type { Id, PutOptions, QueryInput, QueryOptions, Store } from "../store/types.js";

type Row = Record<string, unknown>;
type View = ModelMethods<any, any, any>;

/** The store over `view`, whose writes can be undone through `model`'s own store. */
export function viewStore(model: Model<any, any, any>, view: View): Store<Row> {
  const key = model.definition.primaryKey;
  const plain = (instance: object | undefined) =>
    instance === undefined ? undefined : (copyRecord({ ...instance }) as Row);
  const withId = (object: Row, id: Id | undefined): Row =>
    id === undefined ? { ...object } : { ...object, [key]: id };
  const idOf = (row: object) => (row as Row)[key] as Id;
  return {
    idProperty: key,
    async get(id: Id) {
      return plain(await view.get(id));
    },
    async add(object: Row, options: Omit<PutOptions, "overwrite"> = {}) {
      return idOf(await view.create(withId(object, options.id)));
    },
    async put(object: Row, options: PutOptions = {}) {
      const record = withId(object, options.id);
      if (options.overwrite === false) return idOf(await view.create(record));
      return idOf(await view.put(record));
    },
    async delete(id: Id) {
      return view.delete(id);
    },
    async query(query: QueryInput, options?: QueryOptions) {
      const result = await view.query<unknown>(query, options);
      if (!Array.isArray(result)) return result;
      return Object.assign(
        result.map((item) => plain(item as object)),
        {
          totalCount: (result as unknown as { totalCount: number }).totalCount,
        },
      );
    },
    async transaction<R>(fn: (store: any) => R | Promise<R>): Promise<R> {
      const raw = await model.store();
      const before = new Map<Id, Row | undefined>();
      const keep = async (id: Id) => {
        if (!before.has(id)) before.set(id, (await raw.get!(id)) as Row | undefined);
      };
      const tracked: Store<Row> = {
        ...this,
        add: async (object, options = {}) => {
          const id = await this.add!(object, options);
          if (!before.has(id)) before.set(id, undefined);
          return id;
        },
        put: async (object, options = {}) => {
          const id = options.id ?? (object[key] as Id | undefined);
          if (id !== undefined) await keep(id);
          const written = await this.put!(object, options);
          if (!before.has(written)) before.set(written, undefined);
          return written;
        },
        delete: async (id) => {
          await keep(id);
          return this.delete!(id);
        },
      };
      try {
        return await fn(tracked);
      } catch (error) {
        for (const [id, record] of [...before].reverse()) {
          if (record === undefined) await raw.delete!(id);
          else await raw.put!(record, { id });
        }
        throw error;
      }
    },
  };
}
