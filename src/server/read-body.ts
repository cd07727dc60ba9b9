/**
 * Reading a JSON request body: the media type must be JSON (415 otherwise),
 * the body no larger than the limit (413, checked while reading, so a huge
 * body is never buffered whole), and the text valid JSON (400). Keys that
 * could reach a prototype are dropped as the text is parsed. A body still
 * arriving when the request's time is up is abandoned (`requestTimeout`): the
 * read fails, so its route writes nothing, and the answer is 408.
 */
import { isPrototypeKey } from "../store/copy.js";
import { HttpError } from "./http-error.js";

/** Media types a JSON body may have; merge patches add their own. */
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Reads the body as JSON; `types` narrows the accepted media types (e.g. merge-patch). */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
  types: RegExp = JSON_TYPE,
): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!types.test(type)) {
    throw new HttpError(
      415,
      "HTTP_UNSUPPORTED_MEDIA_TYPE",
      `the body must be JSON (Content-Type: application/json), got "${type || "none"}"`,
    );
  }
  const text = await readText(request, maxBytes);
  try {
    return JSON.parse(text, (key, value: unknown) => (isPrototypeKey(key) ? undefined : value));
  } catch (cause) {
    throw new HttpError(
      400,
      "HTTP_BAD_JSON",
      `the body is not valid JSON: ${(cause as Error).message}`,
    );
  }
}

/** Bodies being read, by request, each with the function that abandons it. */
const reading = new WeakMap<Request, () => void>();

const slowBody = () =>
  new HttpError(408, "HTTP_REQUEST_TIMEOUT", "the request body did not arrive in time");

/**
 * The error a request that ran out of time answers with: 408 when its body was
 * still arriving (the client was too slow; the read is abandoned, so nothing
 * it carried is written), else 503 HTTP_TIMEOUT (the server was).
 */
export function requestTimeout(request: Request, ms: number): HttpError {
  const abandon = reading.get(request);
  if (abandon === undefined)
    return new HttpError(503, "HTTP_TIMEOUT", `the request took longer than ${ms} ms`);
  abandon();
  return slowBody();
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new HttpError(400, "HTTP_BAD_JSON", "the body is not valid UTF-8");
  }
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, "HTTP_BODY_TOO_LARGE", `the body is larger than ${maxBytes} bytes`);
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) throw tooLarge();
  // A declared length within the limit: HTTP framing holds the body to it, so it
  // is read whole (on Node, @hono/node-server then reads the socket directly
  // instead of building a web stream: a third of a PUT's time before).
  if (Number.isInteger(declared) && declared >= 0) return readDeclared(request, maxBytes, tooLarge);
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let abandoned = false;
  reading.set(request, () => {
    abandoned = true;
    reader.cancel().catch(() => {});
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (abandoned) throw slowBody();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    reading.delete(request);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}

/** A body of a declared length, read whole; abandoned like a streamed one when its time is up. */
async function readDeclared(
  request: Request,
  maxBytes: number,
  tooLarge: () => HttpError,
): Promise<string> {
  let abandoned = false;
  // The read itself cannot be cancelled: it ends when the body arrives or the connection closes.
  reading.set(request, () => (abandoned = true));
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } finally {
    reading.delete(request);
  }
  if (abandoned) throw slowBody();
  if (bytes.byteLength > maxBytes) throw tooLarge();
  return decodeUtf8(bytes);
}
