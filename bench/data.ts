/**
 * Fixed-seed benchmark data: the same person records on every run and every
 * machine, so benchmark numbers can be compared and query counts asserted.
 */

/** One generated person; every field is always present and of its declared type. */
export interface Person {
  id: number;
  name: string;
  age: number;
  country: string;
  province: string;
  email: string;
  createdAt: Date;
  score: number;
  tags: string[];
  active: boolean;
}

/** The default seed; change it and every recorded number in bench/README.md is void. */
export const DEFAULT_SEED = 20240601;

/**
 * mulberry32: a tiny 32-bit PRNG with a full 2^32 period, good enough to
 * spread benchmark data and fully determined by its seed.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 30 countries, drawn uniformly: `country in (Canada, India)` selects ~2/30 of the records. */
export const COUNTRIES: readonly string[] = [
  "Argentina",
  "Australia",
  "Austria",
  "Belgium",
  "Brazil",
  "Canada",
  "Chile",
  "China",
  "Denmark",
  "Egypt",
  "Finland",
  "France",
  "Germany",
  "Greece",
  "India",
  "Ireland",
  "Italy",
  "Japan",
  "Kenya",
  "Mexico",
  "Netherlands",
  "Norway",
  "Poland",
  "Portugal",
  "South Africa",
  "Spain",
  "Sweden",
  "Switzerland",
  "United Kingdom",
  "United States",
];

const CANADA = [
  "Alberta",
  "British Columbia",
  "Manitoba",
  "New Brunswick",
  "Newfoundland and Labrador",
  "Nova Scotia",
  "Ontario",
  "Prince Edward Island",
  "Quebec",
  "Saskatchewan",
  "Northwest Territories",
  "Nunavut",
  "Yukon",
];
const INDIA = [
  "Andhra Pradesh",
  "Bihar",
  "Gujarat",
  "Karnataka",
  "Kerala",
  "Maharashtra",
  "Punjab",
  "Rajasthan",
  "Tamil Nadu",
  "Telangana",
  "Uttar Pradesh",
  "West Bengal",
];
const REGIONS = ["Central", "North", "South", "East", "West"];

/** Surnames; Smith is drawn for ~8% of the records, the rest uniformly. */
const SURNAMES = [
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Patel",
  "Singh",
  "Kumar",
  "Tremblay",
  "Roy",
  "Gagnon",
  "Müller",
  "Schmidt",
];
const SMITH_SHARE = 0.08;

const TAGS = ["vip", "new", "churned", "newsletter", "beta", "partner", "staff", "trial"];

const START = Date.UTC(2015, 0, 1);
const SPAN = Date.UTC(2025, 0, 1) - START;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function provinceOf(random: () => number, country: string): string {
  if (country === "Canada") return pick(random, CANADA);
  if (country === "India") return pick(random, INDIA);
  return pick(random, REGIONS);
}

function tagsOf(random: () => number): string[] {
  const count = Math.floor(random() * 4);
  const tags: string[] = [];
  for (let i = 0; i < count; i++) {
    const tag = pick(random, TAGS);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/**
 * Generates `count` people with ids 1..count from `seed`; the same arguments
 * always give the same records. Ages are 0..99 uniformly, emails are unique.
 */
export function generatePeople(count: number, seed: number = DEFAULT_SEED): Person[] {
  const random = mulberry32(seed);
  const people = new Array<Person>(count);
  for (let i = 0; i < count; i++) {
    const id = i + 1;
    const name = random() < SMITH_SHARE ? "Smith" : pick(random, SURNAMES);
    const country = pick(random, COUNTRIES);
    people[i] = {
      id,
      name,
      age: Math.floor(random() * 100),
      country,
      province: provinceOf(random, country),
      email: `${name.toLowerCase()}.${id}@example.com`,
      createdAt: new Date(START + Math.floor(random() * SPAN)),
      score: Math.round(random() * 10000) / 100,
      tags: tagsOf(random),
      active: random() < 0.8,
    };
  }
  return people;
}
