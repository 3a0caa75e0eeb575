import type { Config } from '../config/config.js';
import { channelConfigSchema } from '../config/config.js';
import { convertChannelConfig } from './convert-channel-config.js';
import { convertKeyPolicy } from './convert-key-policy.js';
import type { StorageHandles } from './storage-handles.js';

export interface AppliedConfig {
  /** Secrets generated for config keys that had none: shown once, never stored. */
  createdKeys: Array<{ name: string; secret: string }>;
  /** True when the Anthropic channel was created from ANTHROPIC_API_KEY. */
  bootstrappedAnthropicChannel: boolean;
}

export const DEFAULT_ADMIN_USER = 'admin';

/**
 * Makes storage agree with the configuration file: config-declared channels
 * are created or updated (and removed when the file no longer declares them;
 * channels added with the CLI are left alone), config keys exist with their
 * fixed secrets. On a first start with no channel at all, ANTHROPIC_API_KEY
 * becomes an Anthropic channel serving every Claude model.
 */
export async function applyConfig(options: {
  config: Config;
  storage: StorageHandles;
  environment: Record<string, string | undefined>;
}): Promise<AppliedConfig> {
  const { config, storage } = options;
  const applied: AppliedConfig = { createdKeys: [], bootstrappedAnthropicChannel: false };
  await storage.users.ensure({ name: DEFAULT_ADMIN_USER, role: 'admin' });

  const declared = new Set<string>();
  for (const channel of config.channels) {
    declared.add(channel.name);
    await storage.channels.upsert(convertChannelConfig(channel, 'config'));
  }
  for (const existing of await storage.channels.list()) {
    if (existing.source === 'config' && !declared.has(existing.name)) await storage.channels.remove(existing.name);
  }

  for (const key of config.keys) {
    const user = await storage.users.ensure({ name: key.user, role: key.user === DEFAULT_ADMIN_USER ? 'admin' : 'user' });
    const policy = convertKeyPolicy(key);
    if (key.key !== undefined) {
      await storage.apiKeys.upsertFixed({ userId: user.id, name: key.name, secret: key.key, policy });
    } else if (!(await storage.apiKeys.findByName(key.name))) {
      const { secret } = await storage.apiKeys.create({ userId: user.id, name: key.name, policy });
      applied.createdKeys.push({ name: key.name, secret });
    } else {
      await storage.apiKeys.setPolicy(key.name, policy);
    }
  }

  const anthropicApiKey = options.environment.ANTHROPIC_API_KEY;
  if (anthropicApiKey && (await storage.channels.count()) === 0) {
    const channel = channelConfigSchema.parse({
      name: 'anthropic',
      type: 'anthropic',
      base_url: 'https://api.anthropic.com',
      api_key: anthropicApiKey,
      models: ['claude-*'],
    });
    await storage.channels.upsert(convertChannelConfig(channel, 'bootstrap'));
    applied.bootstrappedAnthropicChannel = true;
  }
  return applied;
}
