/** Safe code emission shared by the query compiler and the schema compiler. */
export { Code, Name, code, joinCode, name, isIdentifier, property } from "./code.js";
export type { Interpolated } from "./code.js";
export { literal } from "./literal.js";
export type { LiteralValue } from "./literal.js";
