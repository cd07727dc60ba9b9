/**
 * The studio as a user meets it: the example models on memory stores behind
 * `withStudio(createHandler(...))` on 127.0.0.1:0, with the front end bundled
 * into a temporary folder by scripts/build-studio.mjs (the same build
 * `npm run build` runs), 45 books (every tenth a draft) and two tokens:
 * admin (every model, whole) and reader (the catalog and directory facets: read-only).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createModels, openapi } from "../../generated/index.js";
import { createHandler, hashToken, serveNode } from "../../src/server/index.js";
import { withStudio } from "../../src/studio/index.js";

export const ADMIN_TOKEN = "studio-admin-token";
export const READER_TOKEN = "studio-reader-token";
export const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
export const BOOKS = 45;

const root = fileURLToPath(new URL("../..", import.meta.url));

export const isbn = (n: number) => `9780000000${String(n).padStart(3, "0")}`;
export const book = (n: number, extra: Record<string, unknown> = {}) => ({
  isbn: isbn(n),
  title: `Book ${n}`,
  authorId: AUTHOR,
  status: n % 10 === 0 ? "draft" : "published",
  price: 10 + n,
  year: 1960 + n,
  ...extra,
});

/** Bundles the front end into a new temporary folder; `remove()` deletes it. */
export function buildStudioAssets(): { dir: string; remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), "perstore-studio-"));
  const dir = join(parent, "assets");
  execFileSync(process.execPath, ["scripts/build-studio.mjs", "--out", dir], { cwd: root });
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/**
 * `migrations`: the project's migration status, as `perstore studio` hands it
 * in; the admin role is then `privileged` (may read it).
 */
export async function startStudio(
  assetsDir: string,
  options: { migrations?: () => Promise<unknown> } = {},
) {
  const models = createModels();
  await models.Author.create({ id: AUTHOR, name: "Frank Herbert" });
  for (let n = 1; n <= BOOKS; n++) await models.Book.create(book(n) as never);
  const handler = createHandler({
    models,
    openapi,
    access: {
      roles: { admin: { "*": "*" }, reader: { Book: "catalog", Person: "directory" } },
      tokens: [
        { role: "admin", sha256: await hashToken(ADMIN_TOKEN) },
        { role: "reader", sha256: await hashToken(READER_TOKEN) },
      ],
      ...(options.migrations ? { privileged: ["admin"] } : {}),
    },
    ...(options.migrations ? { migrations: options.migrations, timeoutMs: 120_000 } : {}),
  });
  const server = await serveNode(withStudio(handler, { assetsDir }), { port: 0 });
  return { models, url: server.url, close: () => server.close() };
}
