import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMigrationFileName, parseMigration, type MigrationFile } from "./migration-file.js";

/** Every migration in a folder, in id order (an absent folder has none). */
export async function loadMigrations(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files = names.filter(isMigrationFileName).sort();
  return Promise.all(
    files.map(async (name) => parseMigration(name, await readFile(join(dir, name), "utf8"))),
  );
}
