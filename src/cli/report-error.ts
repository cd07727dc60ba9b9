/** How a failed command's error reads on stderr. */
import { PerstoreError, SchemaErrors } from "../errors/index.js";
import type { CliIO } from "./command.js";
import { paintFor } from "./color.js";
import { describeThrown } from "./describe-thrown.js";

/** A failed command's error on stderr (`where`: "perstore build"): every diagnostic of a SchemaErrors, else one line with its code. */
export function reportError(io: CliIO, where: string, error: unknown): void {
  const paint = paintFor(io.stderr, io.env);
  if (error instanceof SchemaErrors) {
    const n = error.errors.length;
    io.stderr.write(`${paint.red(`${n} schema error${n === 1 ? "" : "s"}:`)}\n`);
    for (const e of error.errors) io.stderr.write(`  ${e.message} ${paint.dim(`[${e.code}]`)}\n`);
    return;
  }
  if (error instanceof PerstoreError) {
    io.stderr.write(`${paint.red(`${where}: ${error.message}`)} ${paint.dim(`[${error.code}]`)}\n`);
    return;
  }
  io.stderr.write(`${paint.red(`${where}: ${describeThrown(error)}`)}\n`);
}
