export { configSchema, type Config, type ConfigKey, type OptionDefinition } from './schema.js';
export { loadConfig, loadConfigFromFolder, isSecretOption, ConfigError, parseDuration, parseBytes } from './load.js';
