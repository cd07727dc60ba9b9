/**
 * A five-minute tour of perstore, run by `npm run example`.
 * Everything here runs embedded: no database server is needed.
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AccessError,
  JsonFileStore,
  MemoryStore,
  ValidationError,
  executeQuery,
  openDatabase,
  storeChannel,
} from "perstore";
import { loadMigrations, migrateUp } from "perstore/compiler";
import { createModels, personDirectoryFacet } from "../generated/index.js";

const say = (title: string) => console.log(`\n== ${title}`);
const show = (label: string, value: unknown) =>
  console.log(`${label}:`, typeof value === "string" ? value : JSON.stringify(value));

interface Person {
  id: string;
  name: string;
  age: number | null;
  country: string;
  tags: string[];
}

async function memoryStoreTour(): Promise<void> {
  say("1. A journaled in-memory store with indexes");
  const file = join(tmpdir(), `perstore-tour-${process.pid}.json`);
  // The memory store commits its journal through a channel; here, into a JSON file store.
  const backing = new JsonFileStore<Person>({ path: file });
  const people = new MemoryStore<Person>({
    indexes: ["country", { fields: ["name"] }],
    channel: storeChannel(backing),
  });
  const stop = people.on("add", (event) => show("  event add", event.ids));

  people.insert([
    { id: "p1", name: "Smith", age: 34, country: "Canada", tags: ["admin"] },
    { id: "p2", name: "Jones", age: 17, country: "India", tags: [] },
    { id: "p3", name: "Smith", age: 12, country: "France", tags: ["new"] },
    { id: "p4", name: "Okafor", age: null, country: "Canada", tags: ["new", "vip"] },
  ]);
  stop();

  say("2. Queries: RQL strings and JSON query objects, one meaning everywhere");
  const rql = "(name=Smith|age>=18)&country=in=(Canada,India)&province!=Quebec&sort(+name,-age)";
  show(`  ${rql}`, people.query(rql));
  show("  explain (answered from the country index)", people.explain("country=Canada").plan);
  show(
    "  JSON query {field: tags, compare: contains, value: new}",
    people.find({ field: "tags", compare: "contains", value: "new" }).map((p) => p.id),
  );
  show("  count(): adults", people.query("age>=18&count()"));
  show("  paging: limit(2,0) with totalCount", {
    page: (people.query("sort(+id)&limit(2,0)") as Person[]).map((p) => p.id),
    totalCount: (people.query("sort(+id)&limit(2,0)") as { totalCount: number }).totalCount,
  });
  show("  $1 parameters", people.query("country=$1&values(id)", { parameters: ["Canada"] }));
  show(
    "  executeQuery over a plain array",
    executeQuery([{ n: 3 }, { n: 1 }, { n: 2 }], "n>=2&sort(-n)&values(n)"),
  );

  say("3. The journal: reject undoes, commit writes through the channel");
  people.update({ country: "Mexico" }, "name=Jones");
  people.remove("id=p3");
  show(
    "  journal",
    people.journal.map((entry) => entry.type),
  );
  people.reject(1);
  show("  after reject(1), p3 is back", people.get("p3")?.name);
  await people.commit({ mode: "condensed" });
  show("  committed; journal now", people.journal.length);
  show(
    "  the JSON file store holds",
    (await backing.query("sort(+id)&values(id,country)")) as unknown,
  );

  rmSync(file, { force: true });
}

async function modelTour(): Promise<void> {
  say("4. Typed models compiled from schemas/ (perstore build -> generated/)");
  // No options: every model gets a MemoryStore with the schema's indexes.
  const { Author, Book, Person, Review } = createModels();
  const ada = await Person.create({
    id: "6f1c2a9e-5b7d-4c1e-9a3f-2d8e7b6a5c41",
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.org",
    birthDate: "1815-12-10",
    country: "UK",
  });
  show("  mixin method ada.fullName()", ada.fullName());
  show("  mixin method ada.ageOn(1852-11-27)", ada.ageOn(new Date("1852-11-27")));

  const herbert = await Author.create({ name: "Frank Herbert" });
  const dune = await Book.create({
    isbn: "9780441013593",
    title: "Dune",
    authorId: herbert.id,
    status: "published",
    year: 1965,
    genres: ["fiction"],
    price: 9.99,
  });
  await Book.create({
    isbn: "9780441172719",
    title: "Dune Messiah",
    authorId: herbert.id,
    status: "published",
    year: 1969,
    genres: ["fiction"],
  });
  dune.price = 10.99;
  await dune.save();
  await Review.create({ bookIsbn: dune.isbn, reviewerId: ada.id, rating: 5 });

  show("  link: (await dune.author())?.name", (await dune.author())?.name);
  show(
    "  to-many link: (await herbert.books()).map(b => b.title)",
    (await herbert.books()).map((b) => b.title),
  );
  show(
    "  named query Book.queries.publishedBetween(1960, 1966)",
    (await Book.queries.publishedBetween(1960, 1966)).map((b) => b.title),
  );
  show(
    "  ad-hoc query Book.query('year>1966')",
    (await Book.query("year>1966")).map((b) => b.title),
  );

  try {
    await Book.create({ isbn: "x", title: "", authorId: herbert.id, status: "lost" } as never);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    show(
      "  ValidationError, nothing written",
      error.errors.map((e) => `${e.pointer} ${e.message}`),
    );
  }

  const directory = personDirectoryFacet(Person);
  show("  facet 'directory' hides email", Object.keys((await directory.get(ada.id)) ?? {}));
  try {
    await (directory as unknown as typeof Person).patch(ada.id, { country: "FR" });
  } catch (error) {
    if (!(error instanceof AccessError)) throw error;
    show("  a read-only facet cannot write", `${error.code}: ${error.message}`);
  }
}

async function sqlTour(): Promise<void> {
  say("5. The same models in SQL: embedded PGlite, migrated from generated/migrations");
  // A fresh embedded database each run; `openDatabase()` with no URL uses
  // DATABASE_URL, else perstore.config.json ("pglite:.perstore/db").
  const folder = ".perstore/example-db";
  rmSync(folder, { recursive: true, force: true });
  const db = openDatabase(`pglite:${folder}`);
  try {
    const applied = await migrateUp(db, await loadMigrations("generated/migrations"));
    show("  perstore migrate up applied", applied);

    const { Company, Employee, Person } = createModels({ db });
    const acme = await Company.create({ name: "Acme", size: "large" });
    const grace = await Employee.create({
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@example.org",
      country: "US",
      employerId: acme.id,
      jobTitle: "Rear Admiral",
      salary: 120000,
    });
    await Person.create({
      firstName: "Alan",
      lastName: "Turing",
      email: "alan@example.org",
      country: "UK",
    });

    show("  link through SQL: (await grace.employer())?.name", (await grace.employer())?.name);
    show(
      "  Person.query('sort(+lastName)') (sub-models included)",
      (await Person.query("sort(+lastName)")).map((p) => `${p.fullName()} (${p.constructor.name})`),
    );
    show(
      "  named query Employee.queries.earningMoreThan(100000)",
      (await Employee.queries.earningMoreThan(100000)).map((e) => e.fullName()),
    );
    show("  count() runs in SQL", await Person.query("country=in=(US,UK)&count()"));
  } finally {
    await db.destroy();
  }
}

await memoryStoreTour();
await modelTour();
await sqlTour();
