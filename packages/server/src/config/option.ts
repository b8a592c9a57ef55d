/** What one configuration option is: its names, the values it accepts, its default and its doc text. */
export type OptionType =
  | { kind: 'string'; allowEmpty?: boolean }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'duration'; minSeconds: number; maxSeconds: number }
  | { kind: 'bytes'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'databaseUrl' };

export interface OptionDefinition {
  readonly env: `PARLEY_${string}`;
  readonly flag: `--${string}`;
  readonly type: OptionType;
  /** Default as it would be written in the environment. */
  readonly default: string;
  readonly description: string;
  /** The value is a secret: masked by `parley config check` (names with token/secret/password/key… are too). */
  readonly secret?: boolean;
}
