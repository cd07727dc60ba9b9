/**
 * Loading a project's generated models into the CLI process (for `serve`):
 * `<out>/index.js` when the project compiled it, else `<out>/index.ts`
 * through the project's own `tsx`, which the starter project installs.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { PerstoreError } from "../errors/index.js";
import type { PerstoreConfig } from "../compiler/index.js";
import type { Model, ModelRegistryOptions } from "../model/index.js";

/** What `generated/index.ts` exports that the CLI uses. */
export interface ProjectModels {
  createModels(options?: ModelRegistryOptions): Readonly<Record<string, Model<any, any, any>>>;
  /** The OpenAPI document the build emitted (absent in projects built before it existed). */
  readonly openapi?: Readonly<Record<string, unknown>>;
}

export async function loadProjectModels(config: PerstoreConfig): Promise<ProjectModels> {
  const folder = join(config.root, config.out);
  const compiled = join(folder, "index.js");
  const source = join(folder, "index.ts");
  let entry: string;
  if (existsSync(compiled)) entry = compiled;
  else if (existsSync(source)) {
    await registerTypeScript(config.root);
    entry = source;
  } else {
    throw new PerstoreError(
      "CLI_NO_MODELS",
      `${config.out}/index.ts does not exist: run \`perstore build\` first`,
    );
  }
  const loaded = (await import(pathToFileURL(entry).href)) as Partial<ProjectModels>;
  if (typeof loaded.createModels !== "function")
    throw new PerstoreError("CLI_NO_MODELS", `${entry} does not export createModels`);
  return loaded as ProjectModels;
}

let registered: Promise<void> | undefined;

/** Lets this process import TypeScript modules through the project's own `tsx` (once per process). */
export function registerTypeScript(root: string): Promise<void> {
  registered ??= registerTsx(root).catch((error: unknown) => {
    registered = undefined;
    throw error;
  });
  return registered;
}

async function registerTsx(root: string): Promise<void> {
  let manifest: string;
  try {
    manifest = createRequire(join(root, "package.json")).resolve("tsx/package.json");
  } catch {
    throw new PerstoreError(
      "CLI_NO_TYPESCRIPT_LOADER",
      "the generated models (or the seed module) are TypeScript: install tsx in the project (`npm install -D tsx`) or compile them to JavaScript",
    );
  }
  // The ESM entry of tsx's register API (require.resolve would give its CommonJS one).
  const exports = JSON.parse(readFileSync(manifest, "utf8")).exports["./esm/api"];
  const api = join(dirname(manifest), exports.import.default as string);
  const { register } = (await import(pathToFileURL(api).href)) as { register(): unknown };
  register();
}
