import { PerstoreError } from "../errors/index.js";

/**
 * A command line perstore cannot run: an unknown command or option, a
 * missing or extra argument, a bad value. The CLI prints its one-line message
 * and the command's usage line, and exits 2.
 */
export class UsageError extends PerstoreError {
  constructor(message: string) {
    super("CLI_USAGE", message);
  }
}
