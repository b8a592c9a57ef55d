/**
 * Minimal typings for `@xmpp/client` 0.14 (the package ships none): only what the real-time chat
 * uses. Elements are ltx elements; the client is an EventEmitter with xmpp.js plugins attached.
 */
declare module '@xmpp/client' {
  export type XmlNode = XmlElement | string;

  export interface XmlElement {
    name: string;
    attrs: Record<string, string | undefined>;
    children: XmlNode[];
    parent: XmlElement | null;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): XmlElement | undefined;
    getChildren(name: string, xmlns?: string): XmlElement[];
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): XmlElement[];
    getText(): string;
    /** Appends a child element and returns it. */
    c(name: string, attrs?: Record<string, string | undefined>): XmlElement;
    /** Appends a text node and returns this element. */
    t(text: string): XmlElement;
    /** The parent element (or this one at the root). */
    up(): XmlElement;
    remove(name: string, xmlns?: string): XmlElement;
    clone(): XmlElement;
    toString(): string;
  }

  export interface XmlParser {
    write(data: string): void;
    on(event: 'element', listener: (element: XmlElement) => void): void;
    on(event: 'error', listener: (error: Error) => void): void;
  }

  export interface XmlFactory {
    (name: string, attrs?: Record<string, string | undefined> | null, ...children: XmlNode[]): XmlElement;
    Parser: new () => XmlParser;
  }

  export const xml: XmlFactory;

  export interface Jid {
    toString(): string;
    getResource(): string;
    getLocal(): string;
    bare(): Jid;
  }

  export type SaslAuthenticate = (credentials: { username?: string; password?: string }, mechanism: string) => Promise<void>;
  export type CredentialsHandler = (authenticate: SaslAuthenticate, mechanisms: string[]) => Promise<void>;

  export interface ClientOptions {
    service: string;
    domain?: string;
    credentials?: CredentialsHandler;
    timeout?: number;
  }

  /** The socket wrapper a transport creates per connection (`@xmpp/websocket/lib/Socket.js`). */
  export interface TransportSocket {
    url: string | null;
    secure: boolean;
    connect(url: string): void;
    _attachSocket(socket: unknown): void;
  }

  export type SocketClass = new () => TransportSocket;

  export interface Transport {
    Socket: SocketClass;
    socketParameters(service: string): string | undefined;
  }

  export interface TransportClass {
    new (...args: never[]): Transport;
    prototype: Transport;
  }

  export type Listener = (...args: never[]) => void;

  export interface Client {
    status: string;
    jid: Jid | null;
    options: ClientOptions;
    transports: TransportClass[];
    reconnect: { delay: number; start(): void; stop(): void; on(event: 'reconnected' | 'reconnecting', listener: Listener): void };
    middleware: unknown;
    on(event: string, listener: Listener): this;
    once(event: string, listener: Listener): this;
    off(event: string, listener: Listener): this;
    removeListener(event: string, listener: Listener): this;
    removeAllListeners(event?: string): this;
    listeners(event: string): Listener[];
    start(): Promise<Jid>;
    stop(): Promise<unknown>;
    send(element: XmlElement): Promise<void>;
    /** Marks the stream online; `resumed` = true sets the status without an `online` event (XEP-0198 resumption). */
    _ready(resumed?: boolean): void;
    /** The transport socket of the live connection; `socket.socket` is the WebSocket itself. */
    socket: { end(): void; socket?: unknown } | null;
    isSecure(): boolean;
  }

  export function client(options: ClientOptions): Client;
  export function jid(address: string): Jid;
}
