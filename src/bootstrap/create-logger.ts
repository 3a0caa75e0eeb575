import { pino, type Logger } from 'pino';
import type { ServerConfig } from '../config/config.js';

/** Structured JSON logs on stdout; API keys and credentials never appear in them. */
export function createLogger(server: Pick<ServerConfig, 'log_level'>): Logger {
  return pino({
    level: server.log_level,
    base: { service: 'mixroute' },
    redact: ['headers.authorization', 'headers["x-api-key"]', 'credential', 'apiKeys'],
  });
}
