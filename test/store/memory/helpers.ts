/** Test helpers for the memory store: state snapshots and index/scan agreement. */
import { expect } from "vitest";
import { executeQuery, type MemoryStore } from "perstore";

export interface Person {
  id?: string | number;
  name?: string;
  age?: number | null;
  country?: string;
  email?: string;
  tags?: string[];
  [key: string]: unknown;
}

export const people = (): Person[] => [
  { id: 1, name: "Ann", age: 31, country: "CA", email: "ann@x.org", tags: ["a"] },
  { id: 2, name: "Bob", age: 17, country: "IN", email: "bob@x.org" },
  { id: 3, name: "Cid", age: 45, country: "CA", email: "cid@x.org" },
  { id: 4, name: "Dee", age: null, country: "FR" },
  { id: 5, name: "Eve", country: "IN", email: "eve@x.org" },
];

/** Everything observable about a store's data, in natural order. */
export function snapshot<T extends object>(store: MemoryStore<T>): unknown[] {
  return [...store.find()];
}

/**
 * Asserts that indexed queries answer exactly what a scan of the same data
 * answers: the proof that indexes were kept (or restored) correctly.
 */
export function expectIndexesAgree<T extends object>(
  store: MemoryStore<T>,
  queries: readonly string[],
): void {
  const all = [...store.find()];
  for (const query of queries) {
    expect([...(store.query(query) as T[])], query).toEqual([
      ...(executeQuery(all, query, { idProperty: store.idProperty }) as T[]),
    ]);
  }
}

export const INDEX_QUERIES = [
  "country=CA",
  "country=in=(CA,FR)",
  "age>=18",
  "age<40",
  "isnull(age)",
  "starts(name,C)",
  "email=ann%40x.org",
  "id=3",
  "country=IN&age>10",
  "country=CA|age<20",
];
