/**
 * Every configuration option, declared once (by area, in options/*.ts). `load.ts` validates them, the CLI
 * derives its flags from them, and `.env.example` / `docs/config.md` are generated from this list.
 */

import type { OptionDefinition, OptionType } from './option.js';
import { serverOptions } from './options/server.js';
import { storageOptions } from './options/storage.js';
import { clusterOptions } from './options/cluster.js';
import { userOptions } from './options/users.js';
import { xmppOptions } from './options/xmpp.js';
import { opsOptions } from './options/ops.js';
import { aiOptions } from './options/ai.js';
import { mediaOptions } from './options/media.js';
import { pushOptions } from './options/push.js';
import { mailOptions } from './options/mail.js';

export type { OptionDefinition, OptionType } from './option.js';

/** Every option, by area; this order is the order of docs/config.md and .env.example. */
export const configSchema = {
  ...serverOptions,
  ...storageOptions,
  ...clusterOptions,
  ...userOptions,
  ...xmppOptions,
  ...opsOptions,
  ...aiOptions,
  ...mediaOptions,
  ...pushOptions,
  ...mailOptions,
} as const satisfies Record<string, OptionDefinition>;

export type ConfigKey = keyof typeof configSchema;

type ValueOf<T extends OptionType> = T extends { kind: 'string' }
  ? string
  : T extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : T extends { kind: 'boolean' }
      ? boolean
      : T extends { kind: 'databaseUrl' }
        ? string
        : number;

/** The validated configuration: durations in seconds, sizes in bytes. */
export type Config = { readonly [K in ConfigKey]: ValueOf<(typeof configSchema)[K]['type']> };
