export { ConfigError, type DropConfig, loadConfig, SETTING_NAMES } from './config.ts';
