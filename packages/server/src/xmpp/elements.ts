import { Element, type Node } from '@xmpp/xml';

/** A deep copy, so a routed copy can be re-addressed without touching what other recipients get. */
export function cloneElement(element: Element): Element {
  const copy = new Element(element.name, { ...element.attrs });
  for (const child of element.children) copy.children.push(typeof child === 'string' ? child : withParent(cloneElement(child), copy));
  return copy;
}

function withParent(child: Element, parent: Element): Node {
  child.parent = parent;
  return child;
}

/** Replaces the text of `parent`'s child `name` (creating it last when missing). */
export function setChildText(parent: Element, name: string, text: string): void {
  const existing = parent.getChild(name);
  if (existing) {
    existing.children = [text];
    return;
  }
  const child = new Element(name);
  child.children = [text];
  child.parent = parent;
  parent.children.push(child);
}
