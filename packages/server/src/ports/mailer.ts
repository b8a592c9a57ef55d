/**
 * Outgoing mail. `send` resolves once the mail server accepted the message (or rejects); `enabled`
 * is false when no mail server is configured, and then `send` does nothing.
 */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  readonly enabled: boolean;
  send(mail: Mail): Promise<void>;
  close(): void;
}
