/**
 * `--json` output, one shape for every command that has it: a single JSON
 * document on stdout with `"ok"`, the command's data beside it on success and
 * `"errors"` on failure; nothing else is written to stdout, so
 * `perstore build --json | jq` always parses. The exit code is the same as
 * without `--json`.
 */
import { PerstoreError, SchemaError, SchemaErrors } from "../errors/index.js";
import type { CliIO } from "./command.js";
import { describeThrown } from "./describe-thrown.js";

/** One error in `--json` output; `file`, `line`, `column` and `pointer` for located diagnostics. */
export interface JsonError {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
}

/** Write `{ "ok": ..., ...data }` as the command's whole stdout. */
export function writeJson(io: CliIO, ok: boolean, data: Readonly<Record<string, unknown>>): void {
  io.stdout.write(`${JSON.stringify({ ok, ...data }, null, 2)}\n`);
}

/** A thrown value as `--json` errors: every diagnostic of a SchemaErrors, else one entry. */
export function jsonErrors(error: unknown): JsonError[] {
  if (error instanceof SchemaErrors) return error.errors.map(located);
  if (error instanceof SchemaError) return [located(error)];
  if (error instanceof PerstoreError) return [{ code: error.code, message: error.message }];
  return [{ code: "CLI_ERROR", message: describeThrown(error) }];
}

function located(error: SchemaError): JsonError {
  return {
    code: error.code,
    message: error.message,
    file: error.file,
    line: error.line,
    column: error.column,
    pointer: error.pointer,
  };
}
