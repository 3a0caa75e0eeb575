/**
 * A real mixroute (in this process, on 127.0.0.1 and an ephemeral port) with a
 * fresh SQLite file, a channel pointing at a fake upstream, and known keys.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type Config } from '../../src/config/config.js';
import { startGateway, type RunningGateway } from '../../src/main.js';

export const ALICE_KEY = 'sk-alice-0123456789abcdef';
export const BOB_KEY = 'sk-bob-0123456789abcdef01';
export const CHANNEL_KEY = 'sk-ant-channel-secret-0001';

export interface TestGateway {
  gateway: RunningGateway;
  url: string;
  dataDir: string;
  /** Ledger rows written so far (flushes first), newest first. */
  ledger(): Promise<Awaited<ReturnType<RunningGateway['storage']['ledger']['list']>>>;
  close(): Promise<void>;
}

export async function startTestGateway(options: {
  upstreamUrl: string;
  /** Extra or replacement configuration; `channels` replaces the default channel. */
  config?: Partial<Record<keyof Config, unknown>> & { server?: Record<string, unknown> };
  databaseUrl?: string;
  environment?: Record<string, string | undefined>;
}): Promise<TestGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mixroute-test-'));
  const raw = {
    channels: [
      {
        name: 'fake-anthropic',
        type: 'anthropic',
        base_url: options.upstreamUrl,
        api_key: CHANNEL_KEY,
        models: ['claude-*'],
        model_map: { 'house-model': 'claude-sonnet-4-5-20250929' },
      },
    ],
    keys: [
      { name: 'alice', key: ALICE_KEY },
      { name: 'bob', key: BOB_KEY, user: 'bob' },
    ],
    ...options.config,
    server: {
      host: '127.0.0.1',
      port: 0,
      data_dir: dataDir,
      log_level: 'silent',
      ledger_flush_interval_ms: 20,
      reload_interval_ms: 100,
      ...options.config?.server,
    },
  };
  const config = configSchema.parse(raw);
  config.server.database_url = options.databaseUrl ?? `sqlite:${join(dataDir, 'mixroute.db')}`;
  const gateway = await startGateway({ config, environment: options.environment ?? {} });
  return {
    gateway,
    url: gateway.url,
    dataDir,
    async ledger() {
      await gateway.flushLedger();
      return gateway.storage.ledger.list({ limit: 1000 });
    },
    async close() {
      await gateway.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
