/**
 * The format cache on disk (`.perstore/format-cache.json`), so a new
 * `perstore build` process re-formats only files whose unformatted text
 * changed since the last build. Keyed like the in-memory cache; tagged with
 * prettier's version and options, so an upgrade starts afresh. A missing or
 * unreadable cache is an empty one: it only ever saves time.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { version } from "prettier";
import writeFileAtomic from "write-file-atomic";
import { PRETTIER_OPTIONS, type FormatCache } from "./format-file.js";

/** Where the cache lives, relative to the project root. */
export const FORMAT_CACHE_FILE = ".perstore/format-cache.json";

const TAG = `perstore-format-cache/1 prettier/${version} ${JSON.stringify(PRETTIER_OPTIONS)}`;

/** Entries of the project's cache file (none when absent, corrupt or from another prettier). */
export async function loadFormatCache(root: string): Promise<FormatCache> {
  try {
    const data = JSON.parse(await readFile(join(root, FORMAT_CACHE_FILE), "utf8")) as {
      tag?: unknown;
      entries?: unknown;
    };
    if (data.tag !== TAG || data.entries === null || typeof data.entries !== "object")
      return new Map();
    return new Map(
      Object.entries(data.entries as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === "string",
      ),
    );
  } catch {
    return new Map();
  }
}

/** Replace the cache file by `entries` (atomically). */
export async function saveFormatCache(
  root: string,
  entries: ReadonlyMap<string, string>,
): Promise<void> {
  const file = join(root, FORMAT_CACHE_FILE);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify({ tag: TAG, entries: Object.fromEntries(entries) }), {
    encoding: "utf8",
  });
}
