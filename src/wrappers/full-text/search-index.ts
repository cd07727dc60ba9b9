/**
 * The full-text wrapper's inverted index: minisearch over the text of a
 * record's fields, read with the same terms as the SQL store's `tsvector`
 * column (`searchTerms`: runs of letters and digits, lower-cased). A search
 * matches the records holding every term of its words (AND), whole terms only:
 * no prefix and no fuzzy matching, as `plainto_tsquery` does.
 */
import MiniSearch from "minisearch";
import { getPath } from "../../query/path.js";
import { searchTerms } from "../../query/search-terms.js";
import type { Id } from "../../store/types.js";

/** Turns a lower-cased term into the term indexed (a stemmer), or drops it (a stop word). */
export type TermProcessor = (term: string) => string | null | undefined | false;

/** What minisearch stores per record: its id and its fields' text. */
type Document = { readonly id: Id; readonly text: Readonly<Record<string, string>> };

/** Splits into words; the terms are lower-cased by `processTerm`. */
const tokenize = (text: string): string[] => searchTerms(text);

export class SearchIndex {
  readonly #fields: readonly string[];
  readonly #paths: readonly (readonly string[])[];
  readonly #search: MiniSearch<Document>;

  /** @param fields property names or paths (`a/b`) whose string values are searched. */
  constructor(fields: readonly string[], processTerm?: TermProcessor) {
    this.#fields = fields;
    this.#paths = fields.map((field) => field.split("/"));
    const process = (term: string) => (processTerm === undefined ? term : processTerm(term));
    this.#search = new MiniSearch<Document>({
      fields: [...fields],
      idField: "id",
      tokenize,
      processTerm: process,
      extractField: (document, field) => (field === "id" ? document.id : document.text[field]),
      searchOptions: {
        combineWith: "AND",
        prefix: false,
        fuzzy: false,
        tokenize,
        processTerm: process,
      },
    });
  }

  /** Indexes a record under `id` (replacing what `id` had). */
  set(id: Id, record: unknown): void {
    if (this.#search.has(id)) this.#search.discard(id);
    const text: Record<string, string> = {};
    this.#paths.forEach((path, i) => {
      const value = getPath(record, path);
      // Only strings are text (the SQL column is made of text columns only).
      if (typeof value === "string") text[this.#fields[i]!] = value;
    });
    this.#search.add({ id, text });
  }

  /** Forgets `id`; returns whether it was indexed. */
  delete(id: Id): boolean {
    if (!this.#search.has(id)) return false;
    this.#search.discard(id);
    return true;
  }

  /** The ids of the records holding every term of `words`, with their scores (BM25), best first. */
  search(words: string): Map<Id, number> {
    const scores = new Map<Id, number>();
    if (searchTerms(words).length === 0) return scores;
    for (const hit of this.#search.search(words)) scores.set(hit.id as Id, hit.score);
    return scores;
  }

  /** How many records are indexed. */
  get size(): number {
    return this.#search.documentCount;
  }
}
