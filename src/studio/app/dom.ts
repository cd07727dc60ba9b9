/** `h(tag, props, ...children)`: builds an element; `on*` props become listeners, the rest attributes. */
type Child = Node | string | number | false | null | undefined;
type Props = Record<string, unknown>;

/** Properties set as such, not as attributes (an attribute sets only the initial value). */
const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "readOnly"]);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function")
      element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    else if (PROPERTIES.has(name)) (element as unknown as Props)[name] = value;
    else
      element.setAttribute(
        name === "className" ? "class" : name,
        value === true ? "" : String(value),
      );
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "object" ? child : String(child));
  }
  return element;
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "object" ? child : String(child));
  }
}
