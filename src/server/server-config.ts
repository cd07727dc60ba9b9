/**
 * The `server` section of `perstore.config.json`, checked once at start-up:
 *
 * ```json
 * "server": {
 *   "port": 3000, "host": "127.0.0.1", "maxBodyBytes": 1048576, "timeoutMs": 30000,
 *   "cors": { "origins": ["https://app.example"], "credentials": true },
 *   "access": {
 *     "anonymous": "reader",
 *     "roles": { "reader": { "Book": "catalog" }, "admin": { "*": "*" } },
 *     "privileged": ["admin"],
 *     "tokens": [{ "role": "admin", "env": "PERSTORE_ADMIN_TOKEN" },
 *                { "role": "admin", "sha256": "<hex digest of a token>" }]
 *   }
 * }
 * ```
 *
 * A token is given by its SHA-256 digest, or by the name of an environment
 * variable holding it (hashed at start-up, never kept): the config never
 * holds a secret.
 */
import { PerstoreError } from "../errors/index.js";
import { hashToken, type AccessConfig } from "./access.js";
import type { CorsOptions } from "./create-handler.js";

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly maxBodyBytes?: number;
  readonly timeoutMs?: number;
  readonly cors?: CorsOptions;
  readonly access: AccessConfig;
}

const KEYS = ["port", "host", "maxBodyBytes", "timeoutMs", "cors", "access"];

/** Reads and checks a `server` section (undefined: defaults, with no access at all). */
export async function parseServerConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ServerConfig> {
  const fail = (message: string): never => {
    throw new PerstoreError("SERVER_CONFIG", `perstore.config.json server: ${message}`);
  };
  const section = raw ?? {};
  if (!isObject(section)) return fail("must be an object");
  for (const key of Object.keys(section))
    if (!KEYS.includes(key)) fail(`unknown key "${key}" (known: ${KEYS.join(", ")})`);
  const count = (key: string, max: number): number | undefined => {
    const value = section[key];
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
      fail(`${key} must be an integer from 0 to ${max}`);
    return value as number;
  };
  const host = section.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "") fail("host must be a non-empty string");
  const access = await parseAccess(section.access ?? { roles: {} }, env, fail);
  const cors = section.cors;
  if (cors !== undefined) {
    if (
      !isObject(cors) ||
      !Array.isArray(cors.origins) ||
      !cors.origins.every((o) => typeof o === "string")
    )
      fail("cors must be { origins: string[], credentials?: boolean }");
  }
  const maxBodyBytes = count("maxBodyBytes", 2 ** 31);
  const timeoutMs = count("timeoutMs", 24 * 3600 * 1000);
  return {
    port: count("port", 65535) ?? 3000,
    host: host as string,
    access,
    ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(cors !== undefined ? { cors: cors as unknown as CorsOptions } : {}),
  };
}

async function parseAccess(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
  fail: (message: string) => never,
): Promise<AccessConfig> {
  if (!isObject(raw) || !isObject(raw.roles))
    return fail("access must be { roles: {...}, anonymous?, tokens? }");
  for (const [role, views] of Object.entries(raw.roles)) {
    if (!isObject(views) || !Object.values(views).every((v) => typeof v === "string"))
      fail(`access.roles.${role} must map model names to facet names`);
  }
  if (raw.anonymous !== undefined && typeof raw.anonymous !== "string")
    fail("access.anonymous must be a role name");
  const tokens: { role: string; sha256: string }[] = [];
  if (raw.tokens !== undefined && !Array.isArray(raw.tokens))
    fail("access.tokens must be an array");
  for (const [i, token] of ((raw.tokens as unknown[]) ?? []).entries()) {
    if (!isObject(token) || typeof token.role !== "string")
      return fail(`access.tokens[${i}] must be { role, sha256 } or { role, env }`);
    if (typeof token.sha256 === "string") tokens.push({ role: token.role, sha256: token.sha256 });
    else if (typeof token.env === "string") {
      const secret = env[token.env];
      // An unset variable grants nothing: the role is simply unreachable by token.
      if (secret !== undefined && secret !== "")
        tokens.push({ role: token.role, sha256: await hashToken(secret) });
    } else fail(`access.tokens[${i}] needs sha256 or env`);
  }
  const privileged = raw.privileged;
  if (
    privileged !== undefined &&
    !(Array.isArray(privileged) && privileged.every((role) => typeof role === "string"))
  )
    fail("access.privileged must be an array of role names");
  return {
    roles: raw.roles as AccessConfig["roles"],
    ...(privileged !== undefined ? { privileged: privileged as string[] } : {}),
    ...(typeof raw.anonymous === "string" ? { anonymous: raw.anonymous } : {}),
    tokens,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
