import type { LiveEvents } from '../ports/live-events.js';

/**
 * Live events for services built before the real-time face exists (and for CLI commands, where
 * none ever does: nobody is connected, so nothing is delivered).
 */
export class LiveEventsRelay implements LiveEvents {
  private target: LiveEvents | undefined;

  attach(target: LiveEvents | undefined): void {
    this.target = target;
  }

  async systemMessage(event: Parameters<LiveEvents['systemMessage']>[0]): Promise<number> {
    return this.target ? this.target.systemMessage(event) : 0;
  }

  async contentMessage(event: Parameters<LiveEvents['contentMessage']>[0]): Promise<number> {
    return this.target ? this.target.contentMessage(event) : 0;
  }

  async messageEdited(event: Parameters<LiveEvents['messageEdited']>[0]): Promise<number> {
    return this.target ? this.target.messageEdited(event) : 0;
  }

  async messageDeleted(event: Parameters<LiveEvents['messageDeleted']>[0]): Promise<number> {
    return this.target ? this.target.messageDeleted(event) : 0;
  }

  async reactionsChanged(event: Parameters<LiveEvents['reactionsChanged']>[0]): Promise<number> {
    return this.target ? this.target.reactionsChanged(event) : 0;
  }

  async occupantsRemoved(event: Parameters<LiveEvents['occupantsRemoved']>[0]): Promise<number> {
    return this.target ? this.target.occupantsRemoved(event) : 0;
  }

  async callSignal(event: Parameters<LiveEvents['callSignal']>[0]): Promise<number> {
    return this.target ? this.target.callSignal(event) : 0;
  }
}
