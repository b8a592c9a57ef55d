/** "This connection is gone", told once to every listener, also to those that subscribe afterwards. */
export class CloseSignal {
  private listeners: (() => void)[] = [];
  private done = false;

  get fired(): boolean {
    return this.done;
  }

  add(listener: () => void): void {
    if (this.done) queueMicrotask(listener);
    else this.listeners.push(listener);
  }

  fire(): void {
    if (this.done) return;
    this.done = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
