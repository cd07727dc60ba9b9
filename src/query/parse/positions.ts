/**
 * Where each AST node came from in its query string. Kept beside the frozen
 * AST (not in it) so nodes stay plain data; `bindSchema` uses it to put
 * positions on the errors it finds while `parseQuery` is still running.
 */
export const nodePositions = new WeakMap<object, number>();

export function at<T extends object>(node: T, position: number): T {
  nodePositions.set(node, position);
  return node;
}

/** `{ position }` for a QueryError about `node`, or `{}` when its position is unknown. */
export function positionOf(node: object): { position?: number } {
  const position = nodePositions.get(node);
  return position === undefined ? {} : { position };
}
