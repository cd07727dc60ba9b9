/** The full-text wrapper: `search(words)` as a query operator over any store. */
export { fullText } from "./full-text.js";
export type { FullTextOptions, FullTextStore } from "./full-text.js";
export type { TermProcessor } from "./search-index.js";
