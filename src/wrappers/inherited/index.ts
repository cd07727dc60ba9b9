export { inherited } from "./inherited.js";
export type { InheritedOptions } from "./inherited.js";
