import type { StoredChannelSettings } from '../routing/create-routable-channel.js';
import type { Channel } from '../storage/channel.js';

const SETTING_FIELDS = ['auth_header', 'reasoning', 'max_tokens_field', 'timeouts', 'headers', 'capabilities', 'betas'] as const;

/**
 * A stored channel → the shape of a `channels:` entry in the configuration
 * file (the input of `channelConfigSchema`), credentials included: the inverse
 * of `convertChannelConfig`, so a partial change can be merged into it and
 * validated by the same schema as a whole channel. Never answered as it is.
 */
export function convertChannelToConfig(channel: Channel): Record<string, unknown> {
  const settings = channel.settings as StoredChannelSettings;
  const config: Record<string, unknown> = {
    name: channel.name,
    type: channel.type,
    base_url: channel.baseUrl,
    api_keys: channel.credentials.apiKeys,
    models: channel.models,
    model_map: channel.modelMap,
    priority: channel.priority,
    weight: channel.weight,
    enabled: channel.enabled,
  };
  for (const field of SETTING_FIELDS) {
    if (settings[field] !== undefined) config[field] = settings[field];
  }
  return config;
}
