/** JSON pointer lookup over plain data (own properties only). */
export function getByPointer(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (
      node === null ||
      typeof node !== "object" ||
      !Object.prototype.hasOwnProperty.call(node, token)
    )
      return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
