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

export async function writeFiles(outDir: string, files: readonly OutputFile[], options: { check?: boolean } = {}): Promise<WriteReport> {
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const target = join(outDir, file.path);
    let current: string | undefined;
    try {
      current = await readFile(target, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (current === file.contents) {
      unchanged.push(file.path);
      continue;
    }
    written.push(file.path);
    if (options.check) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, file.contents, { encoding: "utf8" });
  }
  return { written, unchanged };
}
