// What the chat feature needs from its client instance; it never sees fetch or URLs.
import type { SdkConfig } from '../config.js';
import type { ApiRequest } from '../http/types.js';

export interface ChatDeps {
  request<T>(request: ApiRequest): Promise<T>;
  /** Read on every use, so a later `init` (new app id or chat domain) applies at once. */
  config(): SdkConfig;
}
