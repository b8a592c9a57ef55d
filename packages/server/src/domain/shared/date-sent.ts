/**
 * How far ahead of the server's clock a client-chosen `date_sent` may be. A value further ahead (a
 * message dated 2100) would sort after everything and stay the dialog's last message for ever, so it
 * is capped to the server's time; back-dating stays allowed, as the docs describe.
 */
export const MAX_DATE_SENT_AHEAD_SECONDS = 300;

/** `date_sent` in unix seconds, capped to now when more than MAX_DATE_SENT_AHEAD_SECONDS ahead. */
export function capDateSent(seconds: number, nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  return seconds > now + MAX_DATE_SENT_AHEAD_SECONDS ? now : seconds;
}
