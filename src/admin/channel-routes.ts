import { convertChannelConfig } from '../bootstrap/convert-channel-config.js';
import { channelConfigSchema } from '../config/config.js';
import type { StoredChannelSettings } from '../routing/create-routable-channel.js';
import type { Channel } from '../storage/channel.js';
import type { AdminContext } from './admin-context.js';
import { adminErrors } from './admin-errors.js';
import type { AdminRoute } from './admin-route.js';
import { convertChannelToConfig } from './convert-channel-to-config.js';
import { maskUrlCredentials } from './mask-url-credentials.js';
import { formatInstant } from './format-instant.js';
import { maskSecret } from './mask-secret.js';
import { parseAdminInput } from './parse-admin-input.js';

/**
 * Upstream channels, in the shape of the configuration file's `channels:`
 * entries. Credentials go in and never come out: answers carry how many there
 * are and the last characters of each. Running gateways pick changes up
 * within `server.reload_interval_ms`.
 */
export const CHANNEL_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/channels',
    authenticated: true,
    async handle(_request, context) {
      return { status: 200, body: { data: (await context.storage.channels.list()).map(presentChannel) } };
    },
  },
  {
    method: 'POST',
    path: '/channels',
    authenticated: true,
    async handle(request, context) {
      const input = parseAdminInput({ schema: channelConfigSchema, value: request.body });
      if (await context.storage.channels.findByName(input.name)) throw adminErrors.conflict(`A channel named ${JSON.stringify(input.name)} already exists.`);
      return { status: 201, body: presentChannel(await context.storage.channels.upsert(convertChannelConfig(input, 'api'))) };
    },
  },
  {
    method: 'GET',
    path: '/channels/{channel}',
    authenticated: true,
    async handle(request, context) {
      return { status: 200, body: presentChannel(await requireChannel(context, request.params.channel!)) };
    },
  },
  {
    method: 'PATCH',
    path: '/channels/{channel}',
    authenticated: true,
    async handle(request, context) {
      const changes = request.body;
      if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) throw adminErrors.invalid('body', 'must be a JSON object');
      const channel = await requireChannel(context, request.params.channel!);
      if ('name' in changes && (changes as { name: unknown }).name !== channel.name) throw adminErrors.invalid('name', 'a channel cannot be renamed');
      if (channel.source === 'config') {
        // The next start would undo anything else; switching it on and off is operational state (as in the CLI).
        const fields = Object.keys(changes).filter((field) => field !== 'name');
        if (fields.some((field) => field !== 'enabled')) {
          throw adminErrors.conflict(`Channel ${JSON.stringify(channel.name)} is declared in the configuration file; change it there (only "enabled" can change here).`);
        }
        const enabled = (changes as { enabled?: unknown }).enabled;
        if (enabled !== undefined) {
          if (typeof enabled !== 'boolean') throw adminErrors.invalid('enabled', 'must be true or false');
          await context.storage.channels.setEnabled(channel.name, enabled);
        }
        return { status: 200, body: presentChannel((await context.storage.channels.findByName(channel.name))!) };
      }
      const merged = convertChannelToConfig(channel);
      for (const [field, value] of Object.entries(changes)) {
        if (value === null) delete merged[field];
        else merged[field] = value;
      }
      // One credential field replaces the other.
      if ('api_key' in changes) delete merged.api_keys;
      if ('api_keys' in changes) delete merged.api_key;
      const input = parseAdminInput({ schema: channelConfigSchema, value: merged });
      return { status: 200, body: presentChannel(await context.storage.channels.upsert(convertChannelConfig(input, 'api'))) };
    },
  },
  {
    method: 'DELETE',
    path: '/channels/{channel}',
    authenticated: true,
    async handle(request, context) {
      const channel = await requireChannel(context, request.params.channel!);
      if (channel.source === 'config') {
        throw adminErrors.conflict(`Channel ${JSON.stringify(channel.name)} is declared in the configuration file; remove it there.`);
      }
      if (!(await context.storage.channels.remove(channel.name))) throw adminErrors.notFound(`No channel named ${JSON.stringify(channel.name)}.`);
      return { status: 204 };
    },
  },
];

async function requireChannel(context: AdminContext, name: string): Promise<Channel> {
  const channel = await context.storage.channels.findByName(name);
  if (!channel) throw adminErrors.notFound(`No channel named ${JSON.stringify(name)}.`);
  return channel;
}

function presentChannel(channel: Channel) {
  const settings = channel.settings as StoredChannelSettings;
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    base_url: maskUrlCredentials(channel.baseUrl),
    api_key_count: channel.credentials.apiKeys.length,
    api_key_hints: channel.credentials.apiKeys.map(maskSecret),
    models: channel.models,
    model_map: channel.modelMap,
    priority: channel.priority,
    weight: channel.weight,
    enabled: channel.enabled,
    auth_header: settings.auth_header ?? null,
    reasoning: settings.reasoning ?? null,
    max_tokens_field: settings.max_tokens_field ?? null,
    timeouts: settings.timeouts ?? null,
    // Extra headers often carry tokens of their own: masked like credentials.
    headers: Object.fromEntries(Object.entries(settings.headers ?? {}).map(([name, value]) => [name, maskSecret(value)])),
    capabilities: settings.capabilities ?? null,
    betas: settings.betas ?? null,
    source: channel.source,
    created_at: formatInstant(channel.createdAt),
    updated_at: formatInstant(channel.updatedAt),
  };
}
