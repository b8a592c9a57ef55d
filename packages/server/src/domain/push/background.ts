/** Work started off a request path and awaited only at shutdown (and by tests). */
export class BackgroundWork {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  run(work: () => Promise<void>): void {
    const running = work().catch(this.onError);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}
