/**
 * `perstore.config.json`: where the schemas are, where output goes, which
 * database the CLI talks to, and whether output is prettier-formatted.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { SchemaError, SchemaErrors } from "../errors/index.js";
import { didYouMean } from "../errors/did-you-mean.js";
import {
  JsonSyntaxError,
  parseJsonWithPointers,
  type SourcePosition,
} from "./load/json-source-map.js";

export const CONFIG_FILE = "perstore.config.json";

/** The project configuration, with defaults applied and folders absolute. */
export interface PerstoreConfig {
  /** Project root (absolute). */
  readonly root: string;
  /** Schemas folder, relative to the root (posix). */
  readonly schemas: string;
  /** Output folder, relative to the root (posix). */
  readonly out: string;
  readonly database: string;
  readonly prettier: boolean;
  /** The `server` section as written (checked by `perstore serve`, which owns it). */
  readonly server?: unknown;
  /** The seed module `perstore seed` and `perstore migrate reset` run, relative to the root. */
  readonly seed?: string;
}

/**
 * Every key perstore.config.json may hold (with `$schema`, which points editors at
 * the published JSON Schema of this file, json-schemas/perstore.config.schema.json).
 * Any other key is an error: a misspelt "schema" must not quietly build from the default folder.
 */
export const CONFIG_KEYS = [
  "$schema",
  "schemas",
  "out",
  "database",
  "prettier",
  "server",
  "seed",
] as const;

export const DEFAULT_CONFIG = {
  schemas: "schemas",
  out: "generated",
  database: "pglite:.perstore/db",
  prettier: true,
} as const;

/**
 * Read `perstore.config.json` from `root` (defaults when it is absent).
 * `DATABASE_URL` overrides `database`.
 */
export async function loadConfig(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PerstoreConfig> {
  const absRoot = resolve(root);
  let text: string | undefined;
  try {
    text = await readFile(join(absRoot, CONFIG_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  let raw: Record<string, unknown> = {};
  let pointers: ReadonlyMap<string, SourcePosition> = new Map();
  if (text !== undefined) {
    try {
      const result = parseJsonWithPointers(text);
      const parsed = result.data;
      pointers = result.pointers;
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new SchemaError("CONFIG_INVALID", "the configuration must be a JSON object", {
          file: CONFIG_FILE,
          pointer: "",
          line: 1,
          column: 1,
        });
      }
      raw = parsed as Record<string, unknown>;
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        throw new SchemaError("CONFIG_SYNTAX", error.message, {
          file: CONFIG_FILE,
          pointer: "",
          line: error.line,
          column: error.column,
        });
      }
      throw error;
    }
  }
  const invalid = (key: string, message: string): SchemaError => {
    const at = pointers.get(`/${key}`);
    return new SchemaError("CONFIG_INVALID", message, {
      file: CONFIG_FILE,
      pointer: `/${key}`,
      ...(at ? { line: at.line, column: at.column } : {}),
    });
  };
  const unknown = Object.keys(raw)
    .filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key))
    .map((key) => {
      const at = pointers.get(`/${escapePointer(key)}`);
      return new SchemaError(
        "CONFIG_UNKNOWN_KEY",
        `unknown key "${key}"${
          didYouMean(key, CONFIG_KEYS.slice(1)) ||
          ` (the keys are ${CONFIG_KEYS.slice(1)
            .map((k) => `"${k}"`)
            .join(", ")})`
        }`,
        {
          file: CONFIG_FILE,
          pointer: `/${escapePointer(key)}`,
          ...(at ? { line: at.line, column: at.column } : {}),
        },
      );
    });
  if (unknown.length > 0) throw new SchemaErrors(unknown);
  const str = (key: keyof typeof DEFAULT_CONFIG & ("schemas" | "out" | "database")): string => {
    const value = raw[key];
    if (value === undefined) return DEFAULT_CONFIG[key];
    if (typeof value !== "string" || value === "") {
      throw invalid(key, `"${key}" must be a non-empty string`);
    }
    return value;
  };
  const prettier = raw["prettier"] ?? DEFAULT_CONFIG.prettier;
  if (typeof prettier !== "boolean") {
    throw invalid("prettier", `"prettier" must be true or false`);
  }
  const seed = raw["seed"];
  if (seed !== undefined && (typeof seed !== "string" || seed === "")) {
    throw invalid("seed", `"seed" must be the path of a module, e.g. "seed.ts"`);
  }
  return {
    root: absRoot,
    schemas: str("schemas"),
    out: str("out"),
    database: env["DATABASE_URL"] ?? str("database"),
    prettier,
    ...(raw["server"] !== undefined ? { server: raw["server"] } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
