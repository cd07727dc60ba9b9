/**
 * SHA-256 of a text for the hot path (bearer tokens, ETags). On Node (and
 * Bun, Deno) `node:crypto` hashes synchronously in ~1 µs; `crypto.subtle`
 * costs 40-90 µs of CPU and a thread-pool hop per digest. `node:crypto` is
 * looked up at run time through `process.getBuiltinModule` (Node >= 20.16),
 * never imported, so this module still loads on an edge runtime, which gets
 * the `crypto.subtle` fallback.
 */

type Encoding = "hex" | "base64url";

interface NodeCrypto {
  hash?: (algorithm: string, data: string, encoding: Encoding) => string;
  createHash(algorithm: string): {
    update(data: string, encoding: "utf8"): { digest(encoding: Encoding): string };
  };
}

function findNodeCrypto(): NodeCrypto | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  try {
    const found = runtime?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;
    return typeof found?.createHash === "function" ? found : undefined;
  } catch {
    return undefined;
  }
}

const nodeCrypto = findNodeCrypto();

/** The synchronous digest, or undefined where only `crypto.subtle` exists. */
const syncDigest: ((text: string, encoding: Encoding) => string) | undefined = !nodeCrypto
  ? undefined
  : typeof nodeCrypto.hash === "function"
    ? (text, encoding) => nodeCrypto.hash!("sha256", text, encoding)
    : (text, encoding) => nodeCrypto.createHash("sha256").update(text, "utf8").digest(encoding);

async function subtleDigest(text: string, encoding: Encoding): Promise<string> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  if (encoding === "hex")
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** SHA-256 of `text` (UTF-8) as lowercase hex or unpadded base64url: synchronous where the runtime allows. */
export function sha256(text: string, encoding: Encoding): string | Promise<string> {
  return syncDigest ? syncDigest(text, encoding) : subtleDigest(text, encoding);
}

/** The same digest through `crypto.subtle` only (for tests comparing both paths). */
export const sha256Subtle = subtleDigest;
