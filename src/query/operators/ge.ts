import { orderingOperator } from "./ordering.js";

/** `ge(p,v)`: ordering between values of the same type; never matches null or missing. */
export const ge = orderingOperator("ge");
