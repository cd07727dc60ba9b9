/**
 * Errors over HTTP: every failure is JSON `{ code, message, details }` with
 * perstore's error code and a status chosen by the error's kind. Anything
 * unexpected is a 500 that says nothing of its cause (no stack, no SQL).
 */
import {
  AccessError,
  ConflictError,
  NotFoundError,
  PerstoreError,
  QueryError,
  ValidationError,
} from "../errors/index.js";

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

/** The status an error answers with. */
export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof ValidationError || error instanceof QueryError) return 400;
  if (error instanceof AccessError) return error.code === "ACCESS_UNAUTHENTICATED" ? 401 : 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  // A store that says "try again" (a lost connection) is unavailable, not broken.
  if (error instanceof PerstoreError && error.retryable) return 503;
  if (error instanceof PerstoreError && error.code === "MODEL_UNKNOWN_LINK") return 404;
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
