/** Minimal typings for `@xmpp/xml` 0.14 (the package ships none); only what Parley uses. */
declare module '@xmpp/xml' {
  export type Node = Element | string;

  export class Element {
    constructor(name: string, attrs?: Record<string, string>);
    name: string;
    attrs: Record<string, string>;
    children: Node[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getName(): string;
    getNS(): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): Element[];
    getText(): string;
    text(): string;
    append(...nodes: Node[]): void;
    t(text: string): this;
    toString(): string;
  }

  /** The ltx-based stream parser; subclasses override the three SAX hooks. */
  export class Parser {
    constructor();
    write(data: string): void;
    end(data?: string): void;
    onStartElement(name: string, attrs: Record<string, string>): void;
    onEndElement(name: string): void;
    onText(text: string): void;
  }

  export function xml(name: string, attrs?: Record<string, string> | null, ...children: Node[]): Element;
  export function escapeXML(s: string): string;
  export function escapeXMLText(s: string): string;
  export default xml;
}

/** One complete XML document string to an Element (throws on malformed input); for stored stanzas and tests. */
declare module '@xmpp/xml/lib/parse.js' {
  import type { Element } from '@xmpp/xml';
  export default function parse(data: string): Element;
}
