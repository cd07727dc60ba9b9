import { orderingOperator } from "./ordering.js";

/** `le(p,v)`: ordering between values of the same type; never matches null or missing. */
export const le = orderingOperator("le");
