/**
 * What `perstore init` does to package.json: ES modules (`"type": "module"`),
 * the example's scripts, and which of the packages the project needs it
 * lacks. perstore's generated code and the example use `import`/`export` and
 * top-level await, which a CommonJS package cannot run, so an explicit
 * `"type": "commonjs"` stops init (nothing written) unless `--esm` is given.
 */
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { PerstoreError } from "../../errors/index.js";

type Manifest = Record<string, unknown> & {
  type?: unknown;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/** The fields init wants (templates/init/package.json, placeholders filled). */
export interface WantedFields {
  readonly type: "module";
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** The project's package.json as read: its text (undefined when absent) and parsed fields. */
export interface ProjectManifest {
  readonly text: string | undefined;
  readonly fields: Manifest;
}

export async function readProjectManifest(cwd: string): Promise<ProjectManifest> {
  let text: string | undefined;
  try {
    text = await readFile(join(cwd, "package.json"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { text: undefined, fields: {} };
  }
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch (error) {
    throw new PerstoreError(
      "CLI_INIT_PACKAGE_JSON",
      `package.json is not valid JSON (${(error as Error).message}); fix it, then run perstore init again`,
    );
  }
  if (typeof fields !== "object" || fields === null || Array.isArray(fields))
    throw new PerstoreError("CLI_INIT_PACKAGE_JSON", "package.json must hold a JSON object");
  return { text, fields: fields as Manifest };
}

/** Refuses a CommonJS package unless `esm` allows changing it. Called before init writes anything. */
export function checkModuleType(manifest: ProjectManifest, esm: boolean): void {
  const type = manifest.fields.type;
  if (type === undefined || type === "module" || esm) return;
  throw new PerstoreError(
    "CLI_INIT_COMMONJS",
    `package.json has "type": ${JSON.stringify(type)}, but perstore's generated code and the example program are ES modules (import/export, top-level await), which a CommonJS package cannot run. Run \`perstore init --esm\` to set "type": "module" (other .js files of the package then load as ES modules too; rename CommonJS ones to .cjs). Nothing was written.`,
  );
}

/**
 * Writes package.json with `"type": "module"` and the wanted scripts that
 * are missing (created when there is none, named after the folder); keeps
 * its indentation and every other field. Returns what it did, one line each.
 */
export async function updateManifest(
  cwd: string,
  manifest: ProjectManifest,
  wanted: WantedFields,
): Promise<string[]> {
  const done: string[] = [];
  const fields: Manifest =
    manifest.text === undefined
      ? { name: packageName(cwd), version: "0.1.0", private: true }
      : { ...manifest.fields };
  if (fields.type !== "module") {
    done.push(
      manifest.text === undefined
        ? 'created package.json ("type": "module")'
        : `set "type": "module" in package.json${fields.type === undefined ? "" : ` (was ${JSON.stringify(fields.type)})`}`,
    );
    fields.type = "module";
  }
  const scripts = { ...(fields.scripts ?? {}) };
  const added = Object.keys(wanted.scripts).filter((name) => scripts[name] === undefined);
  for (const name of added) scripts[name] = wanted.scripts[name]!;
  if (added.length > 0) {
    fields.scripts = scripts;
    done.push(`added script${added.length === 1 ? "" : "s"} ${added.join(", ")} to package.json`);
  }
  if (done.length > 0) {
    const indent = /^([ \t]+)"/m.exec(manifest.text ?? "")?.[1] ?? "  ";
    await writeFile(join(cwd, "package.json"), `${JSON.stringify(fields, null, indent)}\n`);
  }
  return done;
}

/** The wanted packages the project does not list yet (in either dependencies section). */
export function missingPackages(
  manifest: ProjectManifest,
  wanted: WantedFields,
): { dependencies: string[]; devDependencies: string[] } {
  const listed = new Set([
    ...Object.keys(manifest.fields.dependencies ?? {}),
    ...Object.keys(manifest.fields.devDependencies ?? {}),
  ]);
  const missing = (from: Readonly<Record<string, string>>) =>
    Object.entries(from)
      .filter(([name]) => !listed.has(name))
      .map(([name, range]) => `${name}@${range}`);
  return {
    dependencies: missing(wanted.dependencies),
    devDependencies: missing(wanted.devDependencies),
  };
}

/** A valid npm package name from the folder's name. */
function packageName(cwd: string): string {
  const name = basename(cwd)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name === "" ? "my-perstore-app" : name;
}
