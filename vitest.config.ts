import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import the packages by their published names (perstore-runtime,
// perstore-kit; `perstore` is the older in-repo alias of the runtime): point
// those at the sources so `npm test` never depends on a stale dist/.
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^perstore-runtime\/server$/, replacement: src("server/index.ts") },
      { find: /^perstore-runtime$/, replacement: src("index.ts") },
      { find: /^perstore-kit(\/compiler)?$/, replacement: src("compiler/index.ts") },
      { find: /^perstore\/compiler$/, replacement: src("compiler/index.ts") },
      { find: /^perstore\/server$/, replacement: src("server/index.ts") },
      { find: /^perstore$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
