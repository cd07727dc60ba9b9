/** One line for anything a command threw: now in errors/ (the compiler's migration report uses it too). */
export { describeThrown } from "../errors/describe-thrown.js";
