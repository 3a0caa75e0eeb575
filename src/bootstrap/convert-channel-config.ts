import type { ChannelConfig } from '../config/config.js';
import type { StoredChannelSettings } from '../routing/create-routable-channel.js';
import type { ChannelInput } from '../storage/channel-input.js';

/** A channel as declared in YAML (or by the CLI) → what the channel repository stores. */
export function convertChannelConfig(channel: ChannelConfig, source: ChannelInput['source']): ChannelInput {
  const settings: StoredChannelSettings = {
    auth_header: channel.auth_header,
    reasoning: channel.reasoning,
    max_tokens_field: channel.max_tokens_field,
    timeouts: channel.timeouts,
    headers: channel.headers,
    capabilities: channel.capabilities,
    betas: channel.betas,
  };
  return {
    name: channel.name,
    type: channel.type,
    baseUrl: channel.base_url,
    credentials: { apiKeys: channel.api_keys ?? (channel.api_key ? [channel.api_key] : []) },
    models: channel.models,
    modelMap: channel.model_map,
    priority: channel.priority,
    weight: channel.weight,
    ...(channel.enabled === undefined ? {} : { enabled: channel.enabled }),
    settings: settings as Record<string, unknown>,
    source,
  };
}
