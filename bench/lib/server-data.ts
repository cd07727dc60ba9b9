/** The books (and their authors) every server of bench/server.ts serves: the same in each process. */

/** A Book of the example application, as the bench sends and reads it. */
export interface BenchBook {
  isbn: string;
  title: string;
  authorId: string;
  status: "published";
  price: number;
  year: number;
  genres: string[];
}

/** The admin token of the perstore servers (a bench-only secret). */
export const BENCH_TOKEN = "bench-server-admin-token";

export const AUTHOR_COUNT = 100;

/** The id of author `i`: a valid (version 4) UUID. */
export const authorId = (i: number): string =>
  `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

/** The ISBN of book `i`: 13 digits. */
export const isbnOf = (i: number): string => `978${String(i).padStart(10, "0")}`;

export function benchAuthors(): { id: string; name: string; active: boolean }[] {
  return Array.from({ length: AUTHOR_COUNT }, (_, i) => ({
    id: authorId(i),
    name: `Author ${i}`,
    active: true,
  }));
}

export function benchBooks(count: number): BenchBook[] {
  return Array.from({ length: count }, (_, i) => ({
    isbn: isbnOf(i),
    title: `Book ${String((i * 7919) % count).padStart(6, "0")}-${i}`, // shuffled, unique
    authorId: authorId(i % AUTHOR_COUNT),
    status: "published",
    price: 5 + (i % 40),
    year: 1950 + (i % 70),
    genres: ["fiction"],
  }));
}
