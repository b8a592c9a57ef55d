export { configSchema, type Config, type ConfigKey, type OptionDefinition } from './schema.js';
export { loadConfig, ConfigError, parseDuration, parseBytes } from './load.js';
