/**
 * Records of the example application for the facet denial matrix: for each
 * model, stored records (at least two inside any facet's filter, whose
 * properties all differ, so one can lend the other a valid new value) and a
 * `fresh` record that is not stored. Values of properties some facet hides
 * are sentinels: text that must never appear in any response to that facet.
 */
export type Row = Record<string, unknown>;

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const AUTHORS = [uuid(1), uuid(2), uuid(3)] as const;
export const COMPANIES = [uuid(11), uuid(12), uuid(13)] as const;
export const PEOPLE = [uuid(21), uuid(22), uuid(23)] as const;
export const EMPLOYEES = [uuid(31), uuid(32), uuid(33)] as const;
export const REVIEWS = [uuid(41), uuid(42), uuid(43)] as const;
const isbn = (n: number) => `978000000000${n}`;

export interface ModelSamples {
  /** Stored before each attack, in this order. */
  readonly records: readonly Row[];
  /** Valid, inside every facet filter, never stored. */
  readonly fresh: Row;
}

const person = (id: string, n: number): Row => ({
  id,
  firstName: `First${n}`,
  lastName: `Last${n}`,
  email: `sentinel-email-${n}@hidden.example`,
  birthDate: `190${n}-02-0${n}`,
  country: n === 1 ? "UK" : "FR",
  nickname: n === 1 ? null : `nick${n}`,
  address: { street: `SentinelStreet${n}`, city: `SentinelCity${n}`, country: "GB" },
});

/** Loaded in this order (link targets first). */
export const SAMPLES: Readonly<Record<string, ModelSamples>> = {
  Author: {
    records: [1, 2].map((n) => ({
      id: AUTHORS[n - 1],
      name: `Author ${n}`,
      email: `author${n}@example.com`,
      website: `https://author${n}.example`,
      bio: `Bio ${n}`,
      active: n === 1,
    })),
    fresh: { id: AUTHORS[2], name: "Author 3" },
  },
  Company: {
    records: [1, 2].map((n) => ({
      id: COMPANIES[n - 1],
      name: `Company ${n}`,
      founded: `200${n}-01-01`,
      size: n === 1 ? "small" : "large",
      address: { city: `City${n}`, country: "GB" },
      tags: [`tag${n}`],
    })),
    fresh: { id: COMPANIES[2], name: "Company 3", size: "medium" },
  },
  Book: {
    records: [
      {
        isbn: isbn(1),
        title: "Alpha",
        authorId: AUTHORS[0],
        coAuthorIds: [AUTHORS[1]],
        year: 1961,
        price: 987.65,
        status: "published",
        genres: ["fiction"],
        dimensions: { pages: 101, widthMm: 110, heightMm: 180 },
        publishedAt: "2001-01-01T00:00:00.000Z",
      },
      {
        isbn: isbn(2),
        title: "Beta",
        authorId: AUTHORS[1],
        coAuthorIds: [AUTHORS[0]],
        year: 1972,
        price: 876.54,
        status: "published",
        genres: ["science"],
        dimensions: { pages: 202, widthMm: 120, heightMm: 190 },
        publishedAt: "2002-02-02T00:00:00.000Z",
      },
      // Outside the catalog facet's filter (status=published).
      {
        isbn: isbn(3),
        title: "Gamma draft",
        authorId: AUTHORS[0],
        year: 1983,
        price: 765.43,
        status: "draft",
      },
    ],
    fresh: { isbn: isbn(4), title: "Delta", authorId: AUTHORS[0], status: "published" },
  },
  Person: {
    records: [person(PEOPLE[0], 1), person(PEOPLE[1], 2)],
    fresh: { id: PEOPLE[2], firstName: "First3", lastName: "Last3", email: "p3@example.com" },
  },
  Employee: {
    records: [1, 2].map((n) => ({
      ...person(EMPLOYEES[n - 1]!, n + 4),
      employerId: COMPANIES[n - 1],
      managerId: n === 2 ? EMPLOYEES[0] : null,
      jobTitle: `Job ${n}`,
      salary: 123456 * n + 1,
      startedOn: `201${n}-01-01`,
    })),
    fresh: {
      id: EMPLOYEES[2],
      firstName: "First9",
      lastName: "Last9",
      email: "e3@example.com",
      employerId: COMPANIES[0],
      jobTitle: "Job 3",
    },
  },
  Review: {
    records: [1, 2].map((n) => ({
      id: REVIEWS[n - 1],
      bookIsbn: isbn(n),
      reviewerId: PEOPLE[n - 1],
      rating: n + 2,
      body: `Review ${n}`,
    })),
    fresh: { id: REVIEWS[2], bookIsbn: isbn(1), reviewerId: PEOPLE[1], rating: 5 },
  },
};
