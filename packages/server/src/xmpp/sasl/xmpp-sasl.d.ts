/** Minimal typings for the xmpp.js 0.14 client-side SASL pieces (used by the interop tests only). */
declare module 'saslmechanisms' {
  export interface ClientMechanism {
    name: string;
    clientFirst: boolean;
    response(cred: Record<string, unknown>): string | Promise<string>;
    challenge(chal: string): unknown;
  }
  export default class Factory {
    _mechs: { name: string }[];
    use(mech: unknown): this;
    create(names: string[]): ClientMechanism | null;
  }
}

declare module '@xmpp/sasl-scram-sha-1' {
  export default function saslScramSha1(sasl: { use(mech: unknown): unknown }): void;
}

declare module '@xmpp/sasl-plain' {
  export default function saslPlain(sasl: { use(mech: unknown): unknown }): void;
}

declare module '@xmpp/base64' {
  export function encode(string: string): string;
  export function decode(string: string): string;
}
