import { createRequire } from 'node:module';
import type { Pool as UndiciPool } from 'undici';
import { clampTimerDelay } from './clamp-timer-delay.js';

// Only the pool: undici's index also loads fetch, WebSocket, EventSource, the
// cache and mock layers, about 8 MiB of resident memory a gateway never uses.
// The relay talks to the pool through its dispatcher API (send-upstream-request).
const Pool = createRequire(import.meta.url)('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
type Pool = UndiciPool;

export interface UpstreamPools {
  /** The kept-alive pool for one upstream origin (one per origin and connect timeout). */
  get(origin: string, connectTimeoutMs: number): Pool;
  close(): Promise<void>;
}

/**
 * One undici pool per upstream origin, created on first use and kept alive, so
 * a request to an upstream reuses a warm TCP/TLS connection instead of paying
 * a handshake.
 */
export function createUpstreamPools(options: { keepAliveTimeoutMs?: number } = {}): UpstreamPools {
  const pools = new Map<string, Pool>();
  return {
    get(origin, connectTimeoutMs) {
      const key = `${origin} ${connectTimeoutMs}`;
      let pool = pools.get(key);
      if (!pool) {
        pool = new Pool(origin, {
          connect: { timeout: clampTimerDelay(connectTimeoutMs) },
          keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
          keepAliveMaxTimeout: 600_000,
          // No timeouts in undici: sendUpstreamRequest times each request from its channel's settings.
          headersTimeout: 0,
          bodyTimeout: 0,
        });
        pools.set(key, pool);
      }
      return pool;
    },
    async close() {
      const closing = [...pools.values()].map((pool) => pool.close().catch(() => pool.destroy()));
      pools.clear();
      await Promise.all(closing);
    },
  };
}
