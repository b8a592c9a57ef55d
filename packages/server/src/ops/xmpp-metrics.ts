/**
 * What the XMPP face reports as it works: stanzas in and out by kind, stream errors, resumptions,
 * connections opened and closed (with their log lines). Implemented by `ops/metrics.ts`; tests and the
 * CLI pass nothing.
 */
export interface XmppObserver {
  stanzaIn(kind: string): void;
  stanzaOut(kind: string): void;
  /** A stream error was sent on a connection (logged with the stream id). */
  streamError(streamId: string, condition: string, text: string | undefined): void;
  /** An XEP-0198 session was resumed. */
  resumed(): void;
  opened(streamId: string, transport: string, remoteAddress: string): void;
  closed(streamId: string, transport: string, who: { appId: number; userId: number } | undefined): void;
  /** A failed SASL attempt (never the secret). */
  authFailed(streamId: string, mechanism: string, reason: string): void;
}
