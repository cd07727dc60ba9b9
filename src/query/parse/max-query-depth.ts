/**
 * How deeply a query may nest (parentheses, calls, JSON `terms` and value
 * arrays). Every stage after parsing recurses over the tree, so a deeper
 * query would end in a stack overflow instead of a QueryError; real queries
 * stay far below this.
 */
export const MAX_QUERY_DEPTH = 256;
