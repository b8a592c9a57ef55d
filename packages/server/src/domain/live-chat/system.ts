import { newObjectId } from '@parley/protocol';
import type { LiveEvents } from '../../ports/live-events.js';
import type { UserRepository } from '../../ports/users.js';
import type { BlobLinks } from '../blobs/blob-links.js';
import { requireUser } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

/** A system notification as the face decoded it (rest.md §4.18). */
export interface SendSystemMessage {
  recipientId: number;
  /** Every other key of the body, sent as extraParams children. */
  params: Record<string, unknown>;
}

export interface SystemMessageSent {
  messageId: string;
  recipientId: number;
  extensionParams: Record<string, unknown>;
}

const invalid = (message: string) => new DomainFailure('VALIDATION_FAILED', { fields: { recipientId: [message] } });

/** `POST /chat/Message/system` (rest.md §4.18): a system notification to a user's live connections, never stored. */
export class SystemMessageService {
  constructor(
    private readonly store: { users: UserRepository },
    private readonly live: LiveEvents,
    private readonly clock: Clock,
    private readonly maxBytes: number,
    /** Strips a session token from links to this server's files before the notification is routed. */
    private readonly blobLinks: BlobLinks,
  ) {}

  async send(actor: Actor, command: SendSystemMessage): Promise<SystemMessageSent> {
    const senderId = requireUser(actor);
    const { recipientId } = command;
    const extensionParams = this.blobLinks.stripDeep(command.params);
    if ((await this.store.users.findByIds(actor.appId, [recipientId])).length === 0) throw invalid('is not a user of this application');
    if (Buffer.byteLength(JSON.stringify(extensionParams)) > this.maxBytes) {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { base: [`the message is too large (maximum is ${this.maxBytes} bytes)`] } });
    }
    const messageId = newObjectId(this.clock());
    await this.live.systemMessage({ appId: actor.appId, senderId, recipientId, id: messageId, extension: extensionParams });
    return { messageId, recipientId, extensionParams };
  }
}
