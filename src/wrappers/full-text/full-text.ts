/**
 * `fullText(store, { fields, language? })`: full-text search as a query
 * operator. The wrapped store answers `search(words)` in its queries, combined
 * with any other RQL term, sort and paging; with no sort, results come by
 * relevance (best first, ties by id).
 *
 * - Over a store that answers `search()` itself (an SQL table whose schema
 *   declares `fullText`: a generated `tsvector` column), the wrapper hands
 *   every call to it, after checking that it indexes the same fields.
 * - Over any other store (memory, JSON file, an SQL table without the column),
 *   it keeps its own inverted index (minisearch), built from the store's
 *   records on first use and kept in step with every write made through it
 *   and, where the store has `on`, with the store's events (direct writes,
 *   `reject`, `load`, `commit`).
 *
 * Terms are runs of letters and digits, lower-cased; a search matches records
 * holding every term. With the default language "simple" both sides match the
 * same records; a stemming language ("english") stems in PostgreSQL, and on
 * the index side only through `processTerm` (give it a stemmer).
 *
 * @example
 * const books = fullText(new MemoryStore<Book>(), { fields: ["title", "summary"] });
 * await books.put({ id: "b1", title: "Dune", summary: "A desert planet" });
 * await books.query("search(desert)&year>1960&limit(10)");
 */
import { StoreError } from "../../errors/index.js";
import { hasSearch } from "../../query/search-terms.js";
import { parseQuery } from "../../query/parse-query.js";
import type {
  FullTextInfo,
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Store,
} from "../../store/types.js";
import { toStore } from "../../store/adapt-store.js";
import { LiveIndex } from "./live-index.js";
import type { TermProcessor } from "./search-index.js";
import { searchQuery } from "./search-query.js";

/** Options of `fullText`. */
export interface FullTextOptions {
  /** The properties (or `a/b` paths) whose text is searched; may be left out over a store with its own index. */
  readonly fields?: readonly string[];
  /** The text-search configuration: "simple" (default: no stemming, no stop words) or a language, e.g. "english". */
  readonly language?: string;
  /**
   * The wrapper's own index only: turns each lower-cased term into the term
   * indexed and searched (a stemmer), or drops it (a stop word). Default: keep it.
   */
  readonly processTerm?: TermProcessor;
}

/** A store whose queries answer `search(words)`. */
export type FullTextStore<T extends object> = Store<T> & {
  readonly fullText: FullTextInfo;
  /** Stops following the store's events and drops the wrapper's own index (a later search() is WRAPPER_CLOSED). */
  close(): void;
};

const LANGUAGE = /^[a-z_]+$/;

/**
 * Wraps `inner` so its queries answer `search(words)` (see the top of this
 * file). Throws WRAPPER_NEEDS_QUERY over a store without `query`,
 * WRAPPER_BAD_OPTION for missing fields or a language that is not a plain
 * configuration name, and WRAPPER_FULLTEXT_MISMATCH over a store that indexes
 * other fields itself.
 */
export function fullText<T extends object>(
  inner: Store<T>,
  options: FullTextOptions = {},
): FullTextStore<T> {
  const store = toStore(inner);
  if (typeof store.query !== "function")
    throw new StoreError(
      "WRAPPER_NEEDS_QUERY",
      "fullText: the store has no query(), so nothing could be searched",
    );
  const language = options.language ?? store.fullText?.language ?? "simple";
  if (!LANGUAGE.test(language))
    throw new StoreError(
      "WRAPPER_BAD_OPTION",
      `fullText: language must be a text-search configuration name ([a-z_]+), not ${JSON.stringify(language)}`,
    );
  const fields = options.fields ?? store.fullText?.fields;
  if (
    !Array.isArray(fields) ||
    fields.length === 0 ||
    fields.some((f) => typeof f !== "string" || f === "")
  )
    throw new StoreError(
      "WRAPPER_BAD_OPTION",
      "fullText: fields must name at least one property whose text is searched",
    );
  const info: FullTextInfo = Object.freeze({ fields: Object.freeze([...fields]), language });
  if (store.fullText !== undefined) return delegate(store, info);
  const idProperty = store.idProperty ?? "id";
  const live = new LiveIndex(store, idProperty, info.fields, options.processTerm);
  return indexed(store, live, idProperty, info);
}

/** Over a store that answers search() itself: the same store, checked to index what was asked. */
function delegate<T extends object>(store: Store<T>, info: FullTextInfo): FullTextStore<T> {
  const own = store.fullText!;
  const same =
    own.language === info.language &&
    own.fields.length === info.fields.length &&
    own.fields.every((f) => info.fields.includes(f));
  if (!same)
    throw new StoreError(
      "WRAPPER_FULLTEXT_MISMATCH",
      `fullText: the store indexes [${own.fields.join(", ")}] in "${own.language}", not [${info.fields.join(", ")}] in "${info.language}"; change the schema's fullText or the wrapper's options`,
    );
  const out: Record<string, unknown> = {
    idProperty: store.idProperty,
    fullText: info,
    close: () => undefined,
  };
  for (const method of ["get", "put", "add", "delete", "query", "on"] as const) {
    const fn = store[method];
    if (typeof fn === "function") out[method] = (fn as (...a: unknown[]) => unknown).bind(store);
  }
  // A store that explains its queries still does (the studio's plan view).
  const explain = explainOf(store);
  if (explain) out.explain = explain;
  if (typeof store.transaction === "function")
    out.transaction = <R>(fn: (s: Store<T>) => MaybePromise<R>) =>
      store.transaction!((tx) => fn(delegate(tx, info)));
  return out as unknown as FullTextStore<T>;
}

/** The wrapper over `target` (the store, or a transaction's store) with its own index `live`. */
function indexed<T extends object>(
  target: Store<T>,
  live: LiveIndex<T>,
  idProperty: string,
  info: FullTextInfo,
): FullTextStore<T> {
  const out: Record<string, unknown> = {
    idProperty: target.idProperty,
    fullText: info,
    close: () => live.close(),
  };
  // Without events, the wrapper's own writes keep the index current (with the record as stored, where get can tell).
  const track = async (object: T, write: () => MaybePromise<Id>): Promise<Id> => {
    const seq = live.beginWrite();
    const id = await write();
    if (!live.followsEvents) {
      const stored =
        typeof target.get === "function"
          ? await target.get(id)
          : ({ ...object, [idProperty]: id } as T);
      live.written(seq, id, stored);
    }
    return id;
  };
  if (typeof target.get === "function") out.get = (id: Id) => target.get!(id);
  if (typeof target.put === "function")
    out.put = (object: T, options?: PutOptions) =>
      track(object, () => target.put!(object, options));
  if (typeof target.add === "function")
    out.add = (object: T, options?: Omit<PutOptions, "overwrite">) =>
      track(object, () => target.add!(object, options));
  if (typeof target.delete === "function")
    out.delete = async (id: Id) => {
      const seq = live.beginWrite();
      const existed = await target.delete!(id);
      if (!live.followsEvents && existed) live.written(seq, id, undefined);
      return existed;
    };
  out.query = async (input: QueryInput, options: QueryOptions = {}) => {
    const query = parseQuery(input);
    if (!hasSearch(query.filter)) return target.query!(input, options);
    const index = await live.current();
    return searchQuery({ store: target, idProperty, index }, query, options);
  };
  const explain = explainOf(target);
  if (explain)
    out.explain = (input: QueryInput, options: QueryOptions = {}) =>
      hasSearch(parseQuery(input).filter)
        ? {
            available: false,
            reason: "search() is answered from the full-text index, which has no plan to explain",
          }
        : explain(input, options);
  if (typeof target.transaction === "function")
    out.transaction = async <R>(fn: (s: Store<T>) => MaybePromise<R>): Promise<R> => {
      try {
        return await target.transaction!((tx) => fn(indexed(tx, live, idProperty, info)));
      } catch (error) {
        // The store undid what the failed transaction wrote: read the index again.
        live.invalidate();
        throw error;
      }
    };
  if (typeof target.on === "function") out.on = target.on.bind(target);
  return out as unknown as FullTextStore<T>;
}

/** The store's own `explain` (the memory and SQL stores have one), bound, if it has one. */
function explainOf(
  store: object,
): ((input: QueryInput, options: QueryOptions) => unknown) | undefined {
  const explain = (store as { explain?: unknown }).explain;
  return typeof explain === "function"
    ? (explain as (input: QueryInput, options: QueryOptions) => unknown).bind(store)
    : undefined;
}
