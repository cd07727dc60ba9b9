#!/usr/bin/env node
/**
 * Bundles perstore studio's front end (src/studio/app/) with esbuild into one
 * script next to its page and stylesheet, so the package ships every asset
 * (no CDN, no network):
 *
 *   node scripts/build-studio.mjs [--out DIR]     (default: dist/studio/assets)
 *
 * Run by `npm run build`; the studio handler serves DIR at /_studio/.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const app = join(root, "src/studio/app");
const { values } = parseArgs({ options: { out: { type: "string" } } });
const out = resolve(root, values.out ?? "dist/studio/assets");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(app, "main.ts")],
  outfile: join(out, "studio.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
for (const file of ["index.html", "studio.css"]) copyFileSync(join(app, file), join(out, file));
