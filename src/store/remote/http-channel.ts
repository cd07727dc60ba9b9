/**
 * `httpChannel(url)`: a memory store's channel to a perstore server. `commit`
 * posts the change set to `<collection>/_changes`, applied there all or
 * nothing through the caller's facet; the ids the server assigned come back
 * and the memory store re-keys its records. `load()` reads the collection.
 *
 * @example
 * const books = new MemoryStore({ idProperty: "isbn", channel: httpChannel("http://127.0.0.1:3000/Book/", { token }) });
 * await books.load();
 * books.update({ status: "published" }, "isbn=9780441013593");
 * await books.commit({ mode: "condensed" });
 */
import type { Channel, ChangeSet, ChannelResponse, CommitMode, Id } from "../types.js";
import { HttpClient, type HttpClientOptions } from "./http-client.js";
import { errorFromResponse } from "./http-errors.js";

export function httpChannel<T extends object = Record<string, unknown>>(
  url: string,
  options: HttpClientOptions = {},
): Channel<T> {
  const base = url.endsWith("/") ? url : `${url}/`;
  const client = new HttpClient(options);
  return {
    async write(changeSet: ChangeSet<T>, mode: CommitMode): Promise<ChannelResponse<T>> {
      const response = await client.send("POST", `${base}_changes`, {
        body: { ...changeSet, mode },
      });
      if (!response.ok) throw await errorFromResponse(response, "commit");
      const body = (await response.json()) as {
        ids?: Record<string, Id>;
        records?: T[];
        data?: T[];
      };
      return {
        ...(body.ids ? { ids: body.ids } : {}),
        ...(body.records ? { records: body.records } : {}),
        ...(body.data ? { data: body.data } : {}),
      };
    },
    async read(readOptions: Record<string, unknown> = {}): Promise<readonly T[]> {
      const query = typeof readOptions.query === "string" ? readOptions.query : "";
      const response = await client.send("GET", `${base}?${query}`);
      if (!response.ok) throw await errorFromResponse(response, "load");
      return (await response.json()) as T[];
    },
  };
}
