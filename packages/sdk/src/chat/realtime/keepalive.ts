// Optional client keep-alive (`chat.ping`, off by default; SDK 6.1.2 sends no periodic pings,
// realtime.md §3.3): a ping every `timeInterval` seconds; when one is not answered within `timeout`
// seconds the socket is dropped, so a silently dead connection (half-open TCP) turns into the usual
// reconnect instead of hanging until the OS notices.
export interface KeepAliveDeps {
  /** Resolves when the server answered within `timeoutMs`. */
  ping(timeoutMs: number): Promise<unknown>;
  /** Drops the connection (the reconnect logic takes over). */
  dropConnection(): void;
}

export class KeepAlive {
  #timer: ReturnType<typeof setInterval> | undefined;
  #inFlight = false;

  constructor(private readonly deps: KeepAliveDeps) {}

  start(intervalSeconds: number, timeoutSeconds: number): void {
    this.stop();
    this.#timer = setInterval(() => void this.#check(timeoutSeconds * 1000), intervalSeconds * 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#inFlight = false;
  }

  async #check(timeoutMs: number): Promise<void> {
    if (this.#inFlight) return;
    this.#inFlight = true;
    try {
      await this.deps.ping(timeoutMs);
    } catch {
      if (this.#timer !== undefined) this.deps.dropConnection();
    } finally {
      this.#inFlight = false;
    }
  }
}
