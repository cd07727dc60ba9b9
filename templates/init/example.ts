/**
 * An example program over the models perstore built from schemas/.
 * Run it with `npm run example` (perstore build, then tsx example.ts).
 *
 * createModels() keeps records in memory. For the embedded PostgreSQL in
 * .perstore/db, run `npx perstore migrate create init && npx perstore migrate up`
 * once, then pass `{ db: openDatabase() }` (openDatabase from "{{runtime}}").
 */
import { randomUUID } from "node:crypto";
import { createModels } from "./generated/index.js";

const { Note } = createModels();

await Note.create({ id: randomUUID(), title: "Hello", tags: ["perstore", "example"] });
await Note.create({ id: randomUUID(), title: "Shopping", body: "milk, eggs", tags: ["home"] });

const tagged = await Note.queries.tagged("perstore");
for (const note of tagged) console.log(note.summary());

const all = await Note.query("sort(title)");
console.log(`${all.length} notes: ${all.map((n) => n.title).join(", ")}`);
