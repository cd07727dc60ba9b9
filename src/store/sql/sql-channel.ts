import type { Channel, ChangeSet, ChannelResponse, CommitMode, Results } from "../types.js";
import type { SqlStore } from "./sql-store.js";

/**
 * A channel that writes a memory store's commits to an SQL store: each change
 * set in ONE database transaction with batched statements (see
 * apply-change-set.ts). A failure rolls the transaction back and rejects, so
 * the memory store keeps its journal.
 *
 * @example
 * const people = new MemoryStore<Person>({ channel: sqlChannel(new SqlStore({ db, table })) });
 * people.insert([{ id: 1, name: "Ada" }], { append: true });
 * await people.commit({ mode: "condensed" });
 */
export function sqlChannel<T extends object>(store: SqlStore<T>): Channel<T> {
  return {
    async write(changeSet: ChangeSet<T>, mode: CommitMode): Promise<ChannelResponse<T>> {
      return store.applyChangeSet(changeSet.mode === mode ? changeSet : { ...changeSet, mode });
    },
    async read(): Promise<readonly T[]> {
      return [...((await store.query("")) as Results<T>)];
    },
  };
}
