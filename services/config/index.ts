export { loadConfig } from './load.js';
export { configSchema, type Config, type ConfigInput } from './schema.js';
