import type { MessageQuery } from '../../ports/messages.js';
import type { FieldErrors } from '../shared/failure.js';

/** Reads of the messages domain as the faces decode them (the HTTP face: `http/decoders/message-query.ts`). */

/** `GET /chat/Message` (rest.md §4.14). */
export interface ListMessages {
  dialogId: string;
  query: MessageQuery;
  /** An outsider of a dialog that allows previews gets its newest messages instead. */
  preview?: boolean;
  /** Answer the number of matching messages only. */
  count?: boolean;
  /** Mark the page read by the caller (default true). */
  markAsRead?: boolean;
  /** Field errors the face found decoding `query`: reported after the access check, where the contract answers them. */
  invalid?: FieldErrors;
}
