export { ConfigError, type DropConfig, loadConfig } from './config.ts';
