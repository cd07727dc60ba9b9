import { defineCommand } from "../command.js";
import { seedOptions } from "./seed-options.js";

export const seedCommand = defineCommand({
  name: "seed",
  summary: "run the seed module named in perstore.config.json",
  description: `Runs the seed module named by perstore.config.json "seed" (e.g. "seed": "seed.ts")
on the project's database. Its default export is called with { db, models }: the
open database (a Kysely instance) and the project's models on it. TypeScript seed
modules load through the project's tsx. \`perstore migrate reset\` runs it too.

The database is DATABASE_URL, else perstore.config.json "database", else
pglite:.perstore/db. Exit codes: 0 seeded, 1 error (no "seed" in the config, a
module without a default function, or the seed threw), 2 bad usage.`,
  options: seedOptions,
  load: async () => (await import("../commands/seed.js")).runSeedCommand,
});
