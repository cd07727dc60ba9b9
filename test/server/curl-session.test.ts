/**
 * The README's curl session, run for real: `perstore serve --memory` (the
 * built CLI) in its own process, and example/curl-session.sh against it with
 * curl. The script checks every status code itself and exits non-zero on the
 * first wrong one.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "curl-session-admin-token";
const hasCurl = spawnSync("curl", ["--version"]).status === 0;
const servers: ChildProcess[] = [];

afterEach(() => {
  for (const child of servers.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Starts `perstore serve --memory --port 0`; resolves to its URL once it prints it. */
async function startServe(): Promise<string> {
  const child = spawn(process.execPath, ["bin/perstore.js", "serve", "--memory", "--port", "0"], {
    cwd: root,
    env: { ...process.env, PERSTORE_ADMIN_TOKEN: TOKEN },
    stdio: "pipe",
  });
  servers.push(child);
  let output = "";
  return new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
}

/** Runs the script to the end; resolves to its exit code and output. */
function runScript(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("bash", ["example/curl-session.sh", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: "pipe",
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe.skipIf(!hasCurl)("example/curl-session.sh (skipped: curl is not installed)", () => {
  // Generous: the session is ~45 requests and two event streams, on a machine that may be busy.
  it(
    "answers every step of the session with the expected status",
    { timeout: 120_000 },
    async () => {
      const url = await startServe();
      const { code, output } = await runScript([url, TOKEN]);
      expect(output).toContain("curl session: every step answered as expected");
      expect(code).toBe(0);
      for (const status of [200, 201, 204, 206, 400, 401, 403, 404, 409, 412, 413, 415, 416])
        expect(output).toMatch(new RegExp(`^${status} `, "m"));
      expect(output).not.toContain(TOKEN); // commands show $TOKEN, never the token
    },
  );

  it(
    "fails on the first wrong status (a second run finds its records already there)",
    {
      timeout: 120_000,
    },
    async () => {
      const url = await startServe();
      expect((await runScript([url], { PERSTORE_ADMIN_TOKEN: TOKEN })).code).toBe(0);
      const again = await runScript([url], { PERSTORE_ADMIN_TOKEN: TOKEN });
      expect(again.code).toBe(1);
      expect(again.output).toContain("FAILED: expected HTTP 201, got 409");
    },
  );
});
