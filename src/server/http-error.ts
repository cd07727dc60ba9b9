/**
 * Errors over HTTP: every failure is JSON `{ code, message, details }` with
 * perstore's error code and a status chosen by the error's kind. Anything
 * unexpected is a 500 that says nothing of its cause (no stack, no SQL).
 */
import { PerstoreError } from "../errors/index.js";

/** An error raised by the HTTP layer itself, with the status it answers with. */
export class HttpError extends PerstoreError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, message);
  }
}

/**
 * A perstore error's class name and code. Judged by name, not `instanceof`, so
 * errors from another copy of the runtime (the project's generated code may
 * resolve its own `perstore`) map the same way.
 */
function perstoreErrorOf(error: unknown): PerstoreError | undefined {
  if (error instanceof PerstoreError) return error;
  if (!(error instanceof Error)) return undefined;
  const candidate = error as Error & { code?: unknown };
  return typeof candidate.code === "string" && candidate.name.endsWith("Error")
    ? (candidate as unknown as PerstoreError)
    : undefined;
}

const STATUS_BY_CLASS: Readonly<Record<string, number>> = {
  ValidationError: 400,
  QueryError: 400,
  NotFoundError: 404,
  ConflictError: 409,
};

/** The status an error answers with. */
export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  const known = perstoreErrorOf(error);
  if (!known) return 500;
  if (known.name === "AccessError") return known.code === "ACCESS_UNAUTHENTICATED" ? 401 : 403;
  const status = STATUS_BY_CLASS[known.name];
  if (status !== undefined) return status;
  // A store that says "try again" (a lost connection) is unavailable, not broken.
  if (known.retryable === true) return 503;
  if (known.code === "MODEL_UNKNOWN_LINK") return 404;
  return 500;
}

/** The JSON response for an error; `report` hears about the 500s (for the server log). */
export function errorResponse(error: unknown, report?: (error: unknown) => void): Response {
  const status = statusOf(error);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (error instanceof HttpError) Object.assign(headers, error.headers);
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="perstore"';
  if (status === 503) headers["retry-after"] = "1";
  if (status === 500) {
    report?.(error);
    return new Response(
      JSON.stringify({ code: "SERVER_INTERNAL", message: "internal server error" }),
      { status, headers },
    );
  }
  const known = error as PerstoreError;
  const body: Record<string, unknown> = { code: known.code, message: known.message };
  if (known.details !== undefined) body.details = known.details;
  return new Response(JSON.stringify(body), { status, headers });
}
