/**
 * The server's JSON error responses turned back into perstore's error
 * classes, with the server's code, so a caller of `RemoteStore` catches the
 * same errors as a caller of a local store.
 */
import {
  AccessError,
  ConflictError,
  NotFoundError,
  PerstoreError,
  QueryError,
  StoreError,
  ValidationError,
  type ValidationIssue,
} from "../../errors/index.js";

interface ErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly details?: { readonly errors?: readonly ValidationIssue[] } & Record<string, unknown>;
}

/** The error a non-2xx response stands for. */
export async function errorFromResponse(response: Response, what: string): Promise<PerstoreError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page): the status alone says what happened.
  }
  const code = typeof body.code === "string" ? body.code : `REMOTE_HTTP_${response.status}`;
  const message = `${what}: ${typeof body.message === "string" ? body.message : `HTTP ${response.status}`}`;
  const details = body.details;
  switch (response.status) {
    case 400:
      if (code.startsWith("QUERY_")) return new QueryError(code, message);
      if (Array.isArray(details?.errors)) return new ValidationError(details.errors, message, code);
      return new StoreError(code, message, details ? { details } : {});
    case 401:
    case 403:
      return new AccessError(message, code);
    case 404:
      return new NotFoundError(message, code);
    case 409:
    case 412:
      return new ConflictError(message, code);
    case 503:
    case 502:
    case 504:
      return new StoreError(code, message, { retryable: true });
    default:
      return new StoreError(code, message);
  }
}
