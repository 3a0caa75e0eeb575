import type { Channel } from '../storage/channel.js';
import type { ChannelCapabilities } from './capabilities/channel-capabilities.js';
import { resolveDefaultCapabilities } from './capabilities/resolve-default-capabilities.js';
import { compileModelPattern } from './compile-model-pattern.js';
import type { RoutableChannel } from './routable-channel.js';

/** Channel settings as stored (the `settings` JSON), with the defaults of a channel written without them. */
export interface StoredChannelSettings {
  auth_header?: 'x-api-key' | 'bearer' | undefined;
  reasoning?: RoutableChannel['reasoning'] | undefined;
  max_tokens_field?: RoutableChannel['maxTokensField'] | undefined;
  timeouts?: { connect_ms?: number; first_byte_ms?: number; idle_ms?: number; total_ms?: number | undefined };
  headers?: Record<string, string> | undefined;
  capabilities?:
    | { thinking?: boolean | undefined; tools?: boolean | undefined; images?: boolean | undefined; documents?: boolean | undefined; server_tools?: string[] | '*' | undefined }
    | undefined;
  betas?: { allow?: string[] | undefined; deny?: string[] | undefined } | undefined;
}

export const DEFAULT_TIMEOUTS = { connectMs: 10_000, firstByteMs: 600_000, idleMs: 300_000 };

/**
 * Prepares a stored channel for routing: patterns compiled, settings resolved.
 * Returns undefined for a channel of a type this build cannot serve, so one
 * unknown row does not take the others down.
 */
export function createRoutableChannel(channel: Channel): RoutableChannel | undefined {
  if (channel.type !== 'anthropic' && channel.type !== 'openai') return undefined;
  const settings = channel.settings as StoredChannelSettings;
  const defaults = resolveDefaultCapabilities({ type: channel.type, baseUrl: channel.baseUrl });
  const overrides = settings.capabilities ?? {};
  const capabilities: ChannelCapabilities = {
    thinking: overrides.thinking ?? defaults.thinking,
    tools: overrides.tools ?? defaults.tools,
    images: overrides.images ?? defaults.images,
    documents: overrides.documents ?? defaults.documents,
    serverTools: overrides.server_tools ?? defaults.serverTools,
    betas: settings.betas ? { ...(settings.betas.allow ? { allow: settings.betas.allow } : {}), ...(settings.betas.deny ? { deny: settings.betas.deny } : {}) } : defaults.betas,
  };
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl.replace(/\/+$/, ''),
    apiKeys: channel.credentials.apiKeys,
    authHeader: channel.type === 'openai' || settings.auth_header === 'bearer' ? 'bearer' : 'x-api-key',
    priority: channel.priority,
    weight: channel.weight,
    enabled: channel.enabled && channel.credentials.apiKeys.length > 0,
    models: channel.models,
    modelMap: channel.modelMap,
    matchers: channel.models.map(compileModelPattern),
    timeouts: {
      connectMs: settings.timeouts?.connect_ms ?? DEFAULT_TIMEOUTS.connectMs,
      firstByteMs: settings.timeouts?.first_byte_ms ?? DEFAULT_TIMEOUTS.firstByteMs,
      idleMs: settings.timeouts?.idle_ms ?? DEFAULT_TIMEOUTS.idleMs,
      totalMs: settings.timeouts?.total_ms,
    },
    capabilities,
    extraHeaders: settings.headers ?? {},
    reasoning: settings.reasoning ?? 'reasoning_effort',
    maxTokensField: settings.max_tokens_field ?? 'max_tokens',
    createdAt: channel.createdAt,
  };
}
