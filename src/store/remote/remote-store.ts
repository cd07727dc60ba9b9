/**
 * `RemoteStore`: the store contract over HTTP, against a perstore server's
 * model collection (`createHandler` / `perstore serve`). `get put add delete
 * query on`, with `Range` paging (`totalCount` from `Content-Range`), ETags
 * kept per record so `put` is conditional on what was last read, and the
 * server's errors mapped back to perstore's error classes and codes. Input
 * is checked here first by the rules every store keeps (records and ids, text
 * no store can hold, page options, query syntax), so bad input fails with the
 * same code as on any store, without a round trip.
 *
 * @example
 * const books = new RemoteStore({ url: "http://127.0.0.1:3000/Book/", token });
 * await books.put({ isbn: "9780441013593", title: "Dune", ... });
 * const page = await books.query("status=published&sort(+title)", { start: 0, end: 10 });
 * page.totalCount; // from Content-Range
 */
import { ConflictError, NotFoundError, StoreError } from "../../errors/index.js";
import { encodeParameters, formatRql, PARAMETERS_HEADER, parseQuery } from "../../query/index.js";
import { pageOptions } from "../page-options.js";
import { assertRecord, isId, recordId } from "../record-id.js";
import { assertStorableQuery, assertStorableRecord, isStorableText } from "../storable-text.js";
import type { QuerySchema } from "../../query/ast.js";
import type {
  Id,
  PutOptions,
  QueryInput,
  QueryOptions,
  Results,
  Store,
  StoreEventName,
  StoreListener,
} from "../types.js";
import { readEventStream } from "./event-source.js";
import { HttpClient, type HttpClientOptions } from "./http-client.js";
import { errorFromResponse } from "./http-errors.js";
import { RemoteEvents } from "./remote-events.js";

export interface RemoteStoreOptions extends HttpClientOptions {
  /** The model's collection URL, e.g. `http://127.0.0.1:3000/Book/`. */
  readonly url: string;
  /** The model's primary key (default `id`). */
  readonly idProperty?: string;
  /** The model's query schema: with `dates: "Date"`, its date-time properties come back as Dates. */
  readonly querySchema?: QuerySchema;
  /** How date-time properties come back: as the server's ISO strings (default) or as Dates. */
  readonly dates?: "Date" | "string";
}

export class RemoteStore<T extends object = Record<string, unknown>> implements Store<T> {
  readonly idProperty: string;
  readonly #url: string;
  readonly #client: HttpClient;
  /** The ETag each record had when last read or written, for conditional puts. */
  readonly #etags = new Map<Id, string>();
  readonly #events: RemoteEvents<T>;
  /** Paths of date-time properties revived as Dates (empty: records come back as JSON gives them). */
  readonly #datePaths: readonly (readonly string[])[];

  constructor(options: RemoteStoreOptions) {
    this.#url = options.url.endsWith("/") ? options.url : `${options.url}/`;
    this.idProperty = options.idProperty ?? "id";
    this.#client = new HttpClient(options);
    this.#datePaths =
      options.dates === "Date" && options.querySchema
        ? Object.entries(options.querySchema.fields)
            .filter(([, type]) => type === "date-time")
            .map(([path]) => path.split("/"))
        : [];
    this.#events = new RemoteEvents<T>(
      (record) => this.#revive(record),
      (onMessage, signal) =>
        readEventStream(this.#client, this.#url, onMessage, signal, (status) =>
          emitWarning(
            `RemoteStore ${this.#url}: the server refused the event stream (HTTP ${status})`,
          ),
        ),
    );
  }

  #recordUrl(id: Id): string {
    return `${this.#url}${encodeURIComponent(String(id))}`;
  }

  async #keepTag(id: Id, response: Response): Promise<void> {
    const tag = response.headers.get("etag");
    if (tag !== null) this.#etags.set(id, tag);
    else this.#etags.delete(id);
  }

  /** True for an id no store could hold a record under: `get` finds nothing, `delete` deletes nothing. */
  #namesNoRecord(id: Id): boolean {
    return !isId(id) || (typeof id === "string" && !isStorableText(id));
  }

  async get(id: Id): Promise<T | undefined> {
    if (this.#namesNoRecord(id)) return undefined;
    const response = await this.#client.send("GET", this.#recordUrl(id));
    if (response.status === 404) {
      await response.body?.cancel();
      this.#etags.delete(id);
      return undefined;
    }
    if (!response.ok) throw await errorFromResponse(response, `get ${String(id)}`);
    await this.#keepTag(id, response);
    return this.#revive((await response.json()) as T);
  }

  /** A record as JSON gave it, with its date-time properties as Dates when asked for. */
  #revive(record: T): T {
    for (const path of this.#datePaths) {
      let holder = record as Record<string, unknown>;
      for (const key of path.slice(0, -1)) {
        const next = holder[key];
        if (next === null || typeof next !== "object") break;
        holder = next as Record<string, unknown>;
      }
      const last = path[path.length - 1]!;
      const value = holder[last];
      if (typeof value === "string" && Object.hasOwn(holder, last)) holder[last] = new Date(value);
    }
    return record;
  }

  async put(object: T, options: PutOptions = {}): Promise<Id> {
    assertRecord(object);
    await this.#events.beforeWrite();
    const given = options.id ?? (object as Record<string, unknown>)[this.idProperty];
    if (given === undefined) {
      if (options.overwrite === true)
        throw new NotFoundError("put with overwrite: true needs an id", "STORE_NOT_FOUND");
      return this.#create(object);
    }
    const id = recordId(object, this.idProperty, options.id);
    const record = { ...object, [this.idProperty]: id };
    assertStorableRecord(record);
    const headers: Record<string, string> = {};
    const tag = this.#etags.get(id);
    if (options.overwrite === false) headers["if-none-match"] = "*";
    else if (tag !== undefined) headers["if-match"] = tag;
    else if (options.overwrite === true) headers["if-match"] = "*";
    const response = await this.#client.send("PUT", this.#recordUrl(id), {
      headers,
      body: record,
    });
    if (response.status === 412) {
      await response.body?.cancel();
      if (options.overwrite === false) throw new ConflictError(`${String(id)} already exists`);
      if (tag === undefined) throw new NotFoundError(`${String(id)} does not exist`);
      this.#etags.delete(id);
      throw new ConflictError(`${String(id)} changed since it was read`, "STORE_CHANGED");
    }
    if (!response.ok) throw await errorFromResponse(response, `put ${String(id)}`);
    await this.#keepTag(id, response);
    await response.body?.cancel();
    await this.#events.afterWrite(revisionOf(response));
    return id;
  }

  async #create(object: T): Promise<Id> {
    assertStorableRecord(object);
    const response = await this.#client.send("POST", this.#url, { body: object });
    if (!response.ok) throw await errorFromResponse(response, "add");
    const created = (await response.json()) as Record<string, unknown>;
    const id = created[this.idProperty] as Id;
    await this.#keepTag(id, response);
    await this.#events.afterWrite(revisionOf(response));
    return id;
  }

  async add(object: T, options: Omit<PutOptions, "overwrite"> = {}): Promise<Id> {
    return this.put(object, { ...options, overwrite: false });
  }

  async delete(id: Id): Promise<boolean> {
    if (this.#namesNoRecord(id)) return false;
    await this.#events.beforeWrite();
    const response = await this.#client.send("DELETE", this.#recordUrl(id));
    this.#etags.delete(id);
    if (response.status === 404) {
      await response.body?.cancel();
      return false;
    }
    if (!response.ok) throw await errorFromResponse(response, `delete ${String(id)}`);
    await this.#events.afterWrite(revisionOf(response));
    return true;
  }

  async query(query: QueryInput, options: QueryOptions = {}): Promise<Results<T> | unknown> {
    // Checked here as every store checks them: a bad page, syntax or value fails without a round trip.
    const { start: from, end } = pageOptions(options);
    const parsed = parseQuery(query);
    assertStorableQuery(parsed, options.parameters);
    // `$n` stay placeholders; their values travel typed in a header.
    const text = typeof query === "string" ? query : formatRql(parsed);
    const headers: Record<string, string> = {};
    if (options.parameters !== undefined && options.parameters.length > 0)
      headers[PARAMETERS_HEADER] = encodeParameters(options.parameters);
    const start = from ?? 0;
    if (from !== undefined || end !== undefined) {
      if (end !== undefined && end <= start) return emptyPage(await this.#count(text, headers));
      headers.range = `items=${start}-${end === undefined || end === Infinity ? "" : end - 1}`;
    }
    const response = await this.#client.send("GET", `${this.#url}?${text}`, { headers });
    if (response.status === 416) {
      await response.body?.cancel();
      return emptyPage(totalOf(response.headers.get("content-range")) ?? 0);
    }
    if (!response.ok) throw await errorFromResponse(response, "query");
    if (response.status === 204) return undefined;
    const value = (await response.json()) as unknown;
    if (!Array.isArray(value)) return isRecord(value) ? this.#revive(value as T) : value;
    const total = totalOf(response.headers.get("content-range")) ?? value.length;
    return Object.assign(
      (value as T[]).map((record) => (isRecord(record) ? this.#revive(record) : record)),
      { totalCount: total },
    );
  }

  /** The number of matches, for an empty page (`end <= start`) that still owes its totalCount. */
  async #count(text: string, headers: Record<string, string>): Promise<number> {
    const response = await this.#client.send("GET", `${this.#url}?${text}`, {
      headers: { ...headers, range: "items=0-0" },
    });
    if (!response.ok && response.status !== 416) throw await errorFromResponse(response, "query");
    await response.body?.cancel();
    return totalOf(response.headers.get("content-range")) ?? 0;
  }

  /** `add`, `change` and `remove` events from the server's event stream (one connection while anyone listens). */
  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    return this.#events.on(event, listener);
  }

  /** Stops the event stream, if one is open. */
  close(): void {
    this.#events.close();
  }
}

/** The revision a write's events got (the server's `Perstore-Revision` header). */
function revisionOf(response: Response): number | undefined {
  const header = response.headers.get("perstore-revision");
  return header === null ? undefined : Number(header);
}

function isRecord<T>(value: T): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function emptyPage<T>(total: number): Results<T> {
  return Object.assign([] as T[], { totalCount: total });
}

// The total of a Content-Range header: "items a-b/total", or "items */total" for an empty range.
function totalOf(header: string | null): number | undefined {
  const match = header === null ? null : /\/(\d+)\s*$/.exec(header);
  return match ? Number(match[1]) : undefined;
}

function emitWarning(message: string): void {
  if (typeof process !== "undefined" && typeof process.emitWarning === "function")
    process.emitWarning(new StoreError("REMOTE_EVENTS_REFUSED", message));
}
