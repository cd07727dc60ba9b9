import { orderingOperator } from "./ordering.js";

/** `gt(p,v)`: ordering between values of the same type; never matches null or missing. */
export const gt = orderingOperator("gt");
