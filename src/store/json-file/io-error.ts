/** How file-system failures of the JSON-file store are reported. */
import { StoreError } from "../../errors/index.js";

/** StoreError STORE_IO saying what could not be done and why (a StoreError passes through). */
export function ioError(message: string, cause: unknown): StoreError {
  if (cause instanceof StoreError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StoreError("STORE_IO", `${message}: ${reason}`, { cause });
}

/** True when `error` is a Node system error with this code. */
export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
