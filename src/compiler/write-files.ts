/**
 * The only part of the compiler that touches the output folder: writes each
 * file atomically and only when its content changed; in check mode writes
 * nothing and reports which files are stale.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import writeFileAtomic from "write-file-atomic";

export interface OutputFile {
  /** Relative to the output folder, posix. */
  readonly path: string;
  readonly contents: string;
}

export interface WriteReport {
  /** Files written (or, in check mode, that would be). */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

/** Files compared and written at once (a few hundred small files are mostly waiting on the disk). */
const CONCURRENCY = 16;

export async function writeFiles(outDir: string, files: readonly OutputFile[], options: { check?: boolean } = {}): Promise<WriteReport> {
  const stale = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++]!;
      if (await writeFile(outDir, file, options.check ?? false)) stale.add(file.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  // Reported in input order, whatever order the writes finished in.
  return { written: files.filter((f) => stale.has(f.path)).map((f) => f.path), unchanged: files.filter((f) => !stale.has(f.path)).map((f) => f.path) };
}

/** Write one file unless it already has these contents; true when it was (or, in check mode, would be) written. */
async function writeFile(outDir: string, file: OutputFile, check: boolean): Promise<boolean> {
  const target = join(outDir, file.path);
  let current: string | undefined;
  try {
    current = await readFile(target, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (current === file.contents) return false;
  if (check) return true;
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, file.contents, { encoding: "utf8" });
  return true;
}
