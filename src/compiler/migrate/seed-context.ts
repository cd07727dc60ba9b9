import type { Kysely } from "kysely";
import type { Model } from "../../model/index.js";

/**
 * What a seed module's default export is called with (`perstore seed`,
 * `perstore migrate reset`).
 *
 * @example
 * import type { SeedContext } from "perstore-kit/compiler";
 * import { createModels } from "./generated/index.js";
 *
 * export default async function seed({ db }: SeedContext) {
 *   const { Author } = createModels({ db }); // typed models on the CLI's database
 *   await Author.create({ name: "Frank Herbert" });
 * }
 */
export interface SeedContext {
  /** The database the CLI opened (an embedded PGlite folder admits one process: use this one). */
  readonly db: Kysely<any>;
  /** The project's models on `db`, by name (untyped; call `createModels({ db })` for typed ones). */
  readonly models: Readonly<Record<string, Model<any, any, any>>>;
}
