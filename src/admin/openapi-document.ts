import { z } from 'zod';
import { channelConfigSchema, priceConfigSchema } from '../config/config.js';

/*
 * The admin API's OpenAPI 3.1 document, served at GET /admin/v1/openapi.json.
 * Written by hand next to the handlers (test/admin checks it is valid and
 * documents exactly the routes in ADMIN_ROUTES); the channel and price bodies
 * are generated from the configuration file's zod schemas, which validate them.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const listOf = (name: string): Schema => ({ type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref(name) } } });
const errorResponse = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** A JSON Schema of a zod schema, without `$schema` (the document's dialect applies). */
function fromZod(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Schema;
  return rest;
}

/** Every property optional and nullable: a PATCH (or PUT body) over a config-shaped object. */
function partialNullable(schema: Schema, omit: readonly string[] = []): Schema {
  const properties = schema.properties as Record<string, Schema>;
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !omit.includes(name)).map(([name, property]) => [name, nullable(property)])),
  };
}

const usd = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description: 'An exact decimal amount of US dollars, e.g. "12.50".', examples: ['12.50'] };
const nonNegativeUsd = { type: 'string', pattern: '^\\d+(\\.\\d+)?$', description: 'An exact, non-negative decimal amount of US dollars.', examples: ['50'] };
const usdOut = { type: 'string', pattern: '^-?\\d+\\.\\d{9}$', description: 'Exact US dollars with nine decimals (nano-USD).', examples: ['12.500000000'] };
const nano = { type: 'integer', description: 'Billionths of a US dollar.' };
const time = { type: 'string', format: 'date-time' };
const count = { type: 'integer', minimum: 1 };

const channelConfig = fromZod(channelConfigSchema);
const priceConfig = fromZod(priceConfigSchema);

const totals: Record<string, Schema> = {
  requests: { type: 'integer' },
  input_tokens: { type: 'integer' },
  output_tokens: { type: 'integer' },
  cache_write_5m_tokens: { type: 'integer' },
  cache_write_1h_tokens: { type: 'integer' },
  cache_read_tokens: { type: 'integer' },
  web_search_requests: { type: 'integer' },
  web_fetch_requests: { type: 'integer' },
  cost_nano_usd: nano,
  cost_usd: usdOut,
};

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['type', 'error'],
    description: "Anthropic's error envelope.",
    properties: {
      type: { const: 'error' },
      error: {
        type: 'object',
        required: ['type', 'message'],
        properties: {
          type: { type: 'string', enum: ['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'request_too_large', 'api_error'] },
          message: { type: 'string', description: 'Names the field at fault for a 400, e.g. "amount_usd: required".' },
        },
      },
      request_id: { type: 'string' },
    },
  },
  User: {
    type: 'object',
    required: ['id', 'name', 'role', 'group', 'billed', 'balance_nano_usd', 'balance_usd', 'spend_limit', 'period_spent_nano_usd', 'period_spent_usd', 'period_started_at', 'created_at'],
    properties: {
      id: { type: 'string', examples: ['usr_2Nq…'] },
      name: { type: 'string' },
      role: { type: 'string', enum: ['admin', 'user'] },
      group: nullable({ type: 'string', description: 'Price group; null pays list prices.' }),
      billed: { type: 'boolean', description: 'Has a prepaid balance: every request is reserved and settled against it.' },
      balance_nano_usd: nullable(nano),
      balance_usd: nullable(usdOut),
      spend_limit: nullable({
        type: 'object',
        required: ['amount_nano_usd', 'amount_usd', 'period'],
        properties: { amount_nano_usd: nano, amount_usd: usdOut, period: { type: 'string', enum: ['day', 'week', 'month'] } },
      }),
      period_spent_nano_usd: nano,
      period_spent_usd: usdOut,
      period_started_at: nullable(time),
      created_at: time,
    },
  },
  UserCreate: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, role: { type: 'string', enum: ['admin', 'user'], default: 'user' } },
  },
  UserPatch: {
    type: 'object',
    additionalProperties: false,
    properties: {
      role: { type: 'string', enum: ['admin', 'user'], description: 'You cannot remove your own admin role.' },
      group: nullable({ type: 'string', description: 'An existing price group, or null for list prices.' }),
      spend_limit: nullable({
        type: 'object',
        additionalProperties: false,
        required: ['amount_usd', 'period'],
        properties: { amount_usd: nonNegativeUsd, period: { type: 'string', enum: ['day', 'week', 'month'], description: 'UTC; weeks start on Monday.' } },
      }),
    },
  },
  Credit: {
    type: 'object',
    additionalProperties: false,
    required: ['amount_usd'],
    properties: { amount_usd: { ...usd, description: 'Added to the balance (negative takes back; the balance never goes below zero). Makes the user billed.' } },
  },
  ApiKey: {
    type: 'object',
    required: ['id', 'name', 'user_id', 'user', 'prefix', 'status', 'created_at', 'expires_at', 'revoked_at', 'last_used_at', 'quota_used_nano_usd', 'quota_used_usd'],
    properties: {
      id: { type: 'string', examples: ['key_…'] },
      name: { type: 'string' },
      user_id: { type: 'string' },
      user: nullable({ type: 'string', description: "The owner's name." }),
      prefix: { type: 'string', description: 'The first characters of the secret, for telling keys apart.' },
      status: { type: 'string', enum: ['active', 'revoked'] },
      created_at: time,
      expires_at: nullable(time),
      revoked_at: nullable(time),
      last_used_at: nullable(time),
      allowed_models: nullable({ type: 'array', items: { type: 'string' } }),
      allowed_ips: nullable({ type: 'array', items: { type: 'string' } }),
      requests_per_minute: nullable({ type: 'integer' }),
      tokens_per_minute: nullable({ type: 'integer' }),
      concurrent_requests: nullable({ type: 'integer' }),
      quota_nano_usd: nullable(nano),
      quota_usd: nullable(usdOut),
      quota_used_nano_usd: nano,
      quota_used_usd: usdOut,
    },
  },
  ApiKeyCreated: {
    allOf: [ref('ApiKey'), { type: 'object', required: ['secret'], properties: { secret: { type: 'string', description: 'The key itself. Shown once: only its hash is stored.' } } }],
  },
  ApiKeyCreate: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'user'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 128, description: 'Unique among active keys.' },
      user: { type: 'string', description: "The owner's id or name." },
      expires_at: nullable(time),
      allowed_models: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Model names or `*` patterns.' },
      allowed_ips: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Client addresses or CIDR ranges (IPv4, IPv6).' },
      requests_per_minute: count,
      tokens_per_minute: count,
      concurrent_requests: count,
      quota_usd: { ...nonNegativeUsd, description: 'The most this key may spend in all.' },
    },
  },
  ApiKeyPatch: {
    type: 'object',
    additionalProperties: false,
    description: 'A value sets a restriction, null removes it, an absent field is kept.',
    properties: {
      allowed_models: nullable({ type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }),
      allowed_ips: nullable({ type: 'array', minItems: 1, items: { type: 'string' } }),
      requests_per_minute: nullable(count),
      tokens_per_minute: nullable(count),
      concurrent_requests: nullable(count),
      quota_usd: nullable(nonNegativeUsd),
    },
  },
  ChannelConfig: { ...channelConfig, description: "A channel as the configuration file's `channels:` entries write it." },
  ChannelPatch: { ...partialNullable(channelConfig), description: 'Fields to change; null removes an optional field. `api_key` and `api_keys` replace each other. Channels declared in the configuration file accept only `enabled`.' },
  Channel: {
    type: 'object',
    required: ['id', 'name', 'type', 'base_url', 'api_key_count', 'api_key_hints', 'models', 'model_map', 'priority', 'weight', 'enabled', 'source', 'created_at', 'updated_at'],
    description: 'Credentials are never answered: only how many there are and their last four characters. Header values are masked the same way.',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      type: { type: 'string', enum: ['anthropic', 'openai'] },
      base_url: { type: 'string' },
      api_key_count: { type: 'integer' },
      api_key_hints: { type: 'array', items: { type: 'string', examples: ['…0001'] } },
      models: { type: 'array', items: { type: 'string' } },
      model_map: { type: 'object', additionalProperties: { type: 'string' } },
      priority: { type: 'integer' },
      weight: { type: 'integer' },
      enabled: { type: 'boolean' },
      auth_header: nullable({ type: 'string' }),
      reasoning: nullable({ type: 'string' }),
      max_tokens_field: nullable({ type: 'string' }),
      timeouts: nullable({ type: 'object' }),
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      capabilities: nullable({ type: 'object' }),
      betas: nullable({ type: 'object' }),
      source: { type: 'string', enum: ['config', 'cli', 'bootstrap', 'api'], description: 'Who last wrote the definition.' },
      created_at: time,
      updated_at: time,
    },
  },
  Group: {
    type: 'object',
    required: ['name', 'price_multiplier', 'users', 'created_at', 'updated_at'],
    properties: {
      name: { type: 'string' },
      price_multiplier: { type: 'string', examples: ['0.8'] },
      users: { type: 'integer', description: 'How many users are in the group.' },
      created_at: time,
      updated_at: time,
    },
  },
  GroupPut: {
    type: 'object',
    additionalProperties: false,
    required: ['price_multiplier'],
    properties: { price_multiplier: { type: 'string', pattern: '^\\d{1,6}(\\.\\d{1,12})?$', description: 'Multiplies every cost of the group\'s users: "0.8" is 20 % off, "0" free.' } },
  },
  PriceInput: {
    ...partialNullable(priceConfig, ['model']),
    required: ['input', 'output'],
    description: "A price as the configuration file's `prices:` entries write it, USD per million tokens (per 1,000 uses for server tools) as decimal strings; `model` comes from the path.",
  },
  Price: {
    allOf: [
      priceConfig,
      {
        type: 'object',
        required: ['source', 'created_at', 'updated_at'],
        properties: {
          source: { type: 'string', enum: ['api', 'config', 'default'], description: 'Set through this API, the configuration file, or built in; matched in that order.' },
          created_at: nullable(time),
          updated_at: nullable(time),
        },
      },
    ],
  },
  LedgerEntry: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      created_at: time,
      key_id: nullable({ type: 'string' }),
      user_id: nullable({ type: 'string' }),
      channel_id: nullable({ type: 'string' }),
      channel_name: nullable({ type: 'string' }),
      client_model: nullable({ type: 'string' }),
      upstream_model: nullable({ type: 'string' }),
      dialect: { type: 'string', enum: ['anthropic', 'openai'] },
      endpoint: { type: 'string' },
      stream: { type: 'boolean' },
      status: { type: 'integer' },
      outcome: { type: 'string', enum: ['ok', 'upstream_error', 'client_aborted', 'gateway_error', 'stream_error', 'interrupted'] },
      error_type: nullable({ type: 'string' }),
      latency_ms: { type: 'integer' },
      ttfb_ms: nullable({ type: 'integer' }),
      ...Object.fromEntries(Object.entries(totals).filter(([name]) => name !== 'requests')),
      session_id: nullable({ type: 'string' }),
    },
  },
  LedgerPage: {
    type: 'object',
    required: ['data', 'has_more', 'next_cursor'],
    properties: {
      data: { type: 'array', items: ref('LedgerEntry') },
      has_more: { type: 'boolean' },
      next_cursor: nullable({ type: 'string', description: 'Pass as `cursor` for the next (older) page.' }),
    },
  },
  UsageTotals: { type: 'object', required: Object.keys(totals), properties: totals },
  UsageRow: {
    allOf: [
      ref('UsageTotals'),
      {
        type: 'object',
        description: 'The group: key_id and key_name, user_id and user_name, model, or day (YYYY-MM-DD, UTC), by group_by. Null for rows without one (refused before the key was known).',
        properties: {
          key_id: nullable({ type: 'string' }),
          key_name: nullable({ type: 'string' }),
          user_id: nullable({ type: 'string' }),
          user_name: nullable({ type: 'string' }),
          model: nullable({ type: 'string' }),
          day: nullable({ type: 'string', format: 'date' }),
        },
      },
    ],
  },
  Usage: {
    type: 'object',
    required: ['group_by', 'from', 'to', 'data', 'total'],
    properties: {
      group_by: { type: 'string', enum: ['key', 'user', 'model', 'day'] },
      from: nullable(time),
      to: nullable(time),
      data: { type: 'array', items: ref('UsageRow') },
      total: ref('UsageTotals'),
    },
  },
};

const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const queryParameter = (name: string, description: string, schema: Schema = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const userParameter = pathParameter('user', 'User id or name.');
const keyParameter = pathParameter('key', 'Key id, or name (the active key with it, else the newest revoked one).');
const channelParameter = pathParameter('channel', 'Channel name.');
const groupParameter = pathParameter('group', 'Price group name.');
const patternParameter = pathParameter('pattern', 'A model name or `*` pattern (URL-encoded).');
const filterParameters = [
  queryParameter('from', 'Rows at or after this instant: RFC 3339 with a zone, or a UTC date (YYYY-MM-DD).'),
  queryParameter('to', 'Rows before this instant (exclusive), same forms as from.'),
  queryParameter('key', 'Key id or name.'),
  queryParameter('user', 'User id or name.'),
  queryParameter('model', 'The model asked for or the upstream model that answered.'),
  queryParameter('status', 'HTTP status sent to the client.', { type: 'string', pattern: '^[1-5]\\d\\d$' }),
  queryParameter('outcome', 'How the request ended.', { type: 'string', enum: ['ok', 'upstream_error', 'client_aborted', 'gateway_error', 'stream_error', 'interrupted'] }),
];

/** Answers every authenticated operation can give besides its own. */
const common = { '400': errorResponse('BadRequest'), '401': errorResponse('Unauthorized'), '403': errorResponse('Forbidden') };

function operation(options: {
  id: string;
  summary: string;
  tag: string;
  parameters?: unknown[];
  body?: Schema;
  responses: Record<string, unknown>;
  description?: string;
}) {
  return {
    operationId: options.id,
    summary: options.summary,
    ...(options.description ? { description: options.description } : {}),
    tags: [options.tag],
    ...(options.parameters ? { parameters: options.parameters } : {}),
    ...(options.body ? { requestBody: { required: true, ...json(options.body) } } : {}),
    responses: { ...options.responses, ...common },
  };
}
const ok = (description: string, schema: Schema) => ({ description, ...json(schema) });
const noContent = { description: 'Done.' };

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'mixroute admin API',
    version: '1',
    description:
      'Manages users, API keys, channels, price groups and prices, and reads the ledger and usage summaries. ' +
      "Authenticate with a mixroute API key whose user has the role admin (`Authorization: Bearer <key>` or `x-api-key`). " +
      'Money comes as integers of nano-USD and as exact decimal strings of USD; it goes in as decimal strings of USD. ' +
      "Errors use Anthropic's envelope. Changes reach every running gateway within server.reload_interval_ms.",
  },
  security: [{ bearerKey: [] }, { headerKey: [] }],
  tags: ['users', 'keys', 'channels', 'groups', 'prices', 'ledger', 'usage', 'meta'].map((name) => ({ name })),
  paths: {
    '/admin/v1/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document (no key needed)',
        tags: ['meta'],
        security: [],
        responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/admin/v1/users': {
      get: operation({ id: 'listUsers', summary: 'List users', tag: 'users', responses: { '200': ok('Every user, oldest first.', listOf('User')) } }),
      post: operation({
        id: 'createUser',
        summary: 'Create a user',
        tag: 'users',
        body: ref('UserCreate'),
        responses: { '201': ok('Created.', ref('User')), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/users/{user}': {
      parameters: [userParameter],
      get: operation({ id: 'getUser', summary: 'Get a user', tag: 'users', responses: { '200': ok('The user.', ref('User')), '404': errorResponse('NotFound') } }),
      patch: operation({
        id: 'updateUser',
        summary: "Change a user's role, price group or spending limit",
        tag: 'users',
        body: ref('UserPatch'),
        responses: { '200': ok('The updated user.', ref('User')), '404': errorResponse('NotFound'), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/users/{user}/credit': {
      parameters: [userParameter],
      post: operation({
        id: 'creditUser',
        summary: "Add to (or take from) a user's prepaid balance",
        tag: 'users',
        body: ref('Credit'),
        responses: { '200': ok('The user with the new balance.', ref('User')), '404': errorResponse('NotFound'), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/keys': {
      get: operation({
        id: 'listKeys',
        summary: 'List API keys',
        tag: 'keys',
        parameters: [queryParameter('user', "Only this user's keys (id or name)."), queryParameter('status', 'Only keys with this status.', { type: 'string', enum: ['active', 'revoked'] })],
        responses: { '200': ok('Keys, oldest first.', listOf('ApiKey')) },
      }),
      post: operation({
        id: 'createKey',
        summary: 'Issue an API key (its secret is answered once)',
        tag: 'keys',
        body: ref('ApiKeyCreate'),
        responses: { '201': ok('Created, with the secret.', ref('ApiKeyCreated')), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/keys/{key}': {
      parameters: [keyParameter],
      get: operation({ id: 'getKey', summary: 'Get an API key', tag: 'keys', responses: { '200': ok('The key.', ref('ApiKey')), '404': errorResponse('NotFound') } }),
      patch: operation({
        id: 'updateKey',
        summary: "Change a key's restrictions",
        tag: 'keys',
        body: ref('ApiKeyPatch'),
        responses: { '200': ok('The updated key.', ref('ApiKey')), '404': errorResponse('NotFound'), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/keys/{key}/revoke': {
      parameters: [keyParameter],
      post: operation({
        id: 'revokeKey',
        summary: 'Revoke an API key (for good; revoking twice is harmless)',
        tag: 'keys',
        responses: { '200': ok('The revoked key.', ref('ApiKey')), '404': errorResponse('NotFound') },
      }),
    },
    '/admin/v1/channels': {
      get: operation({ id: 'listChannels', summary: 'List channels', tag: 'channels', responses: { '200': ok('Channels by name.', listOf('Channel')) } }),
      post: operation({
        id: 'createChannel',
        summary: 'Add a channel',
        tag: 'channels',
        body: ref('ChannelConfig'),
        responses: { '201': ok('Created.', ref('Channel')), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/channels/{channel}': {
      parameters: [channelParameter],
      get: operation({ id: 'getChannel', summary: 'Get a channel', tag: 'channels', responses: { '200': ok('The channel.', ref('Channel')), '404': errorResponse('NotFound') } }),
      patch: operation({
        id: 'updateChannel',
        summary: 'Change a channel',
        tag: 'channels',
        body: ref('ChannelPatch'),
        responses: { '200': ok('The updated channel.', ref('Channel')), '404': errorResponse('NotFound'), '409': errorResponse('Conflict') },
      }),
      delete: operation({
        id: 'deleteChannel',
        summary: 'Remove a channel',
        tag: 'channels',
        responses: { '204': noContent, '404': errorResponse('NotFound'), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/groups': {
      get: operation({ id: 'listGroups', summary: 'List price groups', tag: 'groups', responses: { '200': ok('Groups, oldest first.', listOf('Group')) } }),
    },
    '/admin/v1/groups/{group}': {
      parameters: [groupParameter],
      get: operation({ id: 'getGroup', summary: 'Get a price group', tag: 'groups', responses: { '200': ok('The group.', ref('Group')), '404': errorResponse('NotFound') } }),
      put: operation({
        id: 'putGroup',
        summary: 'Create a price group or change its multiplier',
        tag: 'groups',
        body: ref('GroupPut'),
        responses: { '200': ok('Changed.', ref('Group')), '201': ok('Created.', ref('Group')) },
      }),
      delete: operation({
        id: 'deleteGroup',
        summary: 'Remove an empty price group',
        tag: 'groups',
        responses: { '204': noContent, '404': errorResponse('NotFound'), '409': errorResponse('Conflict') },
      }),
    },
    '/admin/v1/prices': {
      get: operation({
        id: 'listPrices',
        summary: 'The effective price table',
        description: 'Prices set here, then the configuration file\'s, then the built-in defaults: the order they are matched in (an exact model name beats every wildcard).',
        tag: 'prices',
        parameters: [queryParameter('model', 'Only the entry that prices this model.')],
        responses: { '200': ok('The table.', listOf('Price')) },
      }),
    },
    '/admin/v1/prices/{pattern}': {
      parameters: [patternParameter],
      put: operation({
        id: 'putPrice',
        summary: 'Set the price of a model or pattern',
        tag: 'prices',
        body: ref('PriceInput'),
        responses: { '200': ok('Replaced.', ref('Price')), '201': ok('Created.', ref('Price')) },
      }),
      delete: operation({
        id: 'deletePrice',
        summary: 'Remove a price set through this API',
        tag: 'prices',
        responses: { '204': noContent, '404': errorResponse('NotFound') },
      }),
    },
    '/admin/v1/ledger': {
      get: operation({
        id: 'listLedger',
        summary: 'Ledger rows, newest first',
        tag: 'ledger',
        parameters: [
          ...filterParameters,
          queryParameter('limit', 'Rows per page, 1 to 1000 (default 100).', { type: 'string', pattern: '^\\d+$' }),
          queryParameter('cursor', 'next_cursor of the previous page.'),
        ],
        responses: { '200': ok('One page.', ref('LedgerPage')) },
      }),
    },
    '/admin/v1/usage': {
      get: operation({
        id: 'getUsage',
        summary: 'Usage summed by key, user, model or UTC day',
        tag: 'usage',
        parameters: [{ name: 'group_by', in: 'query', required: true, schema: { type: 'string', enum: ['key', 'user', 'model', 'day'] } }, ...filterParameters],
        responses: { '200': ok('Days in order; other groups by cost, most first.', ref('Usage')) },
      }),
    },
  },
  components: {
    securitySchemes: {
      bearerKey: { type: 'http', scheme: 'bearer', description: 'A mixroute API key of an admin user.' },
      headerKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'A mixroute API key of an admin user.' },
    },
    responses: {
      BadRequest: { description: 'Invalid JSON, field or parameter (the message names it).', ...json(ref('Error')) },
      Unauthorized: { description: 'No key, or an unknown, revoked or expired one.', ...json(ref('Error')) },
      Forbidden: { description: "The key's user is not an admin (permission_error).", ...json(ref('Error')) },
      NotFound: { description: 'No such resource.', ...json(ref('Error')) },
      Conflict: { description: 'Clashes with what is stored: a duplicate name, a balance below zero, a resource declared in the configuration file.', ...json(ref('Error')) },
    },
    schemas,
  },
} as const;
