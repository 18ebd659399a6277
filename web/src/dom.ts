// Building the page without markup strings. Complaints carry hostile text, so
// every string becomes a text node or an attribute value, never HTML: there
// is no innerHTML anywhere in the application.

export type Child = Node | string | number | null | undefined | false;

type Handler = (event: Event) => void;

export interface Props {
  // Attributes, set with setAttribute ("class", "for", "aria-*", ...);
  // false and undefined leave the attribute out, true sets it empty.
  [attribute: string]: string | number | boolean | undefined | Handler | object;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value as Handler);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      child instanceof Node ? child : document.createTextNode(String(child)),
    );
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

// A unique id for label/aria wiring.
let nextId = 0;
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
