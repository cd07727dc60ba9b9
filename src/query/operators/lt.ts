import { orderingOperator } from "./ordering.js";

/** `lt(p,v)`: ordering between values of the same type; never matches null or missing. */
export const lt = orderingOperator("lt");
