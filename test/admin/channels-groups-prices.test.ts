/**
 * Channels, price groups and prices through the admin API. Channel
 * credentials go in and never come out; a channel added here serves requests;
 * a price set here is what the next request costs in the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { createAdminClient, expectedError, type AdminCall } from './admin-client.js';

const SECOND_CHANNEL_KEY = 'sk-ant-second-channel-secret-9876';

let upstream: FakeUpstream;
let mixroute: TestGateway;
let admin: AdminCall;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: { prices: [{ model: 'house-*', input: '2', output: '4' }] },
  });
  admin = createAdminClient(mixroute.url, ALICE_KEY);
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

function message(model: string) {
  return fetch(`${mixroute.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': ALICE_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }),
  });
}

describe('channels', () => {
  it('lists channels without their credentials', async () => {
    const listed = await admin('GET', '/channels');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        name: 'fake-anthropic',
        type: 'anthropic',
        base_url: upstream.url,
        api_key_count: 1,
        api_key_hints: [`…${CHANNEL_KEY.slice(-4)}`],
        models: ['claude-*'],
        model_map: { 'house-model': 'claude-sonnet-4-5-20250929' },
        enabled: true,
        source: 'config',
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(CHANNEL_KEY);
  });

  it('adds a channel in the config shape; it serves requests; changes and removal take effect', async () => {
    const created = await admin('POST', '/channels', {
      name: 'api-channel',
      type: 'anthropic',
      base_url: upstream.url,
      api_keys: [SECOND_CHANNEL_KEY, 'short'],
      models: ['api-only-*'],
      headers: { 'x-org': 'org-secret-token-123456' },
      priority: 5,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'api-channel',
      api_key_count: 2,
      api_key_hints: ['…9876', '…'],
      headers: { 'x-org': '…3456' },
      priority: 5,
      weight: 1,
      source: 'api',
      timeouts: { connect_ms: 10_000, first_byte_ms: 600_000, idle_ms: 300_000 },
    });
    expect(JSON.stringify(created.body)).not.toContain(SECOND_CHANNEL_KEY);
    expect(JSON.stringify(created.body)).not.toContain('org-secret-token');
    expect((await admin('GET', '/channels/api-channel')).body).toEqual(created.body);

    await mixroute.gateway.reload();
    const served = await message('api-only-model');
    expect(served.status).toBe(200);
    expect(upstream.messagesRequests().at(-1)!.headers['x-api-key']).toMatch(/^(sk-ant-second-channel-secret-9876|short)$/);
    expect(upstream.messagesRequests().at(-1)!.headers['x-org']).toBe('org-secret-token-123456');

    // A partial change keeps everything else, the credentials included.
    const patched = await admin('PATCH', '/channels/api-channel', { models: ['api-other-*'], priority: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ models: ['api-other-*'], priority: 0, api_key_count: 2, headers: { 'x-org': '…3456' } });
    const rekeyed = await admin('PATCH', '/channels/api-channel', { api_key: SECOND_CHANNEL_KEY });
    expect(rekeyed.body).toMatchObject({ api_key_count: 1, api_key_hints: ['…9876'] });
    expect((await admin('PATCH', '/channels/api-channel', { name: 'renamed' })).status).toBe(400);
    const invalid = await admin('PATCH', '/channels/api-channel', { weight: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/^weight: /);

    await mixroute.gateway.reload();
    expect((await message('api-only-model')).status).toBe(404);
    expect((await message('api-other-model')).status).toBe(200);

    expect((await admin('DELETE', '/channels/api-channel')).status).toBe(204);
    expect((await admin('GET', '/channels/api-channel')).status).toBe(404);
    expect((await admin('DELETE', '/channels/api-channel')).status).toBe(404);
    await mixroute.gateway.reload();
    expect((await message('api-other-model')).status).toBe(404);
  });

  it('a channel from the configuration file can only be switched off and on here', async () => {
    const changed = await admin('PATCH', '/channels/fake-anthropic', { models: ['other-*'] });
    expect(changed.status).toBe(409);
    expect(changed.body).toEqual(expectedError('invalid_request_error', expect.stringContaining('configuration file')));
    expect((await admin('DELETE', '/channels/fake-anthropic')).status).toBe(409);

    expect((await admin('PATCH', '/channels/fake-anthropic', { enabled: false })).body.enabled).toBe(false);
    await mixroute.gateway.reload();
    expect((await message('claude-sonnet-4-5-20250929')).status).toBe(503);
    expect((await admin('PATCH', '/channels/fake-anthropic', { enabled: true })).body.enabled).toBe(true);
    await mixroute.gateway.reload();
    expect((await message('claude-sonnet-4-5-20250929')).status).toBe(200);
  });
});

describe('price groups', () => {
  it('creates, changes, lists, assigns, and removes only when empty', async () => {
    const created = await admin('PUT', '/groups/partners', { price_multiplier: '0.8' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'partners', price_multiplier: '0.8', users: 0 });
    const changed = await admin('PUT', '/groups/partners', { price_multiplier: '0.75' });
    expect(changed.status).toBe(200);
    expect(changed.body.price_multiplier).toBe('0.75');

    expect((await admin('PATCH', '/users/bob', { group: 'partners' })).body.group).toBe('partners');
    expect((await admin('GET', '/groups')).body.data).toEqual([expect.objectContaining({ name: 'partners', price_multiplier: '0.75', users: 1 })]);
    expect((await admin('GET', '/groups/partners')).body.users).toBe(1);

    const inUse = await admin('DELETE', '/groups/partners');
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toContain('still has users');
    expect((await admin('PATCH', '/users/bob', { group: null })).body.group).toBeNull();
    expect((await admin('DELETE', '/groups/partners')).status).toBe(204);
    expect((await admin('DELETE', '/groups/partners')).status).toBe(404);
  });
});

describe('prices', () => {
  it('lists the effective table: run-time prices, then the configuration, then the defaults', async () => {
    const listed = await admin('GET', '/prices');
    expect(listed.status).toBe(200);
    const sources = listed.body.data.map((price: any) => price.source);
    expect(sources[0]).toBe('config');
    expect(sources.slice(1).every((source: string) => source === 'default')).toBe(true);
    expect(listed.body.data[0]).toEqual({ model: 'house-*', input: '2', output: '4', source: 'config', created_at: null, updated_at: null });
    expect(listed.body.data).toContainEqual(expect.objectContaining({ model: 'claude-sonnet-4-5*', input: '3', output: '15', long_context: { threshold_input_tokens: 200_000, input: '6', output: '22.50' }, source: 'default' }));
    const resolved = await admin('GET', '/prices?model=claude-haiku-4-5-20251001');
    expect(resolved.body.data).toEqual([expect.objectContaining({ model: 'claude-haiku-4-5*', source: 'default' })]);
    expect((await admin('GET', '/prices?model=unknown-model')).body.data).toEqual([]);
  });

  it('a price set here changes what the next request costs in the ledger; removing it restores the default', async () => {
    // The recorded answer: Sonnet 4.5, 12 input and 29 output tokens.
    const before = await message('claude-sonnet-4-5-20250929');
    expect(before.status).toBe(200);
    const defaultCost = 12 * 3_000 + 29 * 15_000;

    const put = await admin('PUT', `/prices/${encodeURIComponent('claude-sonnet-4-5*')}`, { input: '1', output: '2.5', cache_read: '0.1' });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ model: 'claude-sonnet-4-5*', input: '1', output: '2.5', cache_read: '0.1', source: 'api', created_at: expect.any(String) });
    expect((await admin('PUT', '/prices/claude-sonnet-4-5*', { input: '1', output: '2' })).status).toBe(200);
    expect((await admin('GET', '/prices')).body.data[0]).toMatchObject({ model: 'claude-sonnet-4-5*', input: '1', output: '2', source: 'api' });
    expect((await admin('GET', '/prices?model=claude-sonnet-4-5-20250929')).body.data).toEqual([expect.objectContaining({ source: 'api' })]);

    await mixroute.gateway.reload();
    const after = await message('claude-sonnet-4-5-20250929');
    expect(after.status).toBe(200);
    const apiCost = 12 * 1_000 + 29 * 2_000;

    expect((await admin('DELETE', '/prices/claude-sonnet-4-5*')).status).toBe(204);
    await mixroute.gateway.reload();
    const restored = await message('claude-sonnet-4-5-20250929');

    const rows = await mixroute.ledger();
    const costOf = (response: Response) => rows.find((row) => row.id === response.headers.get('x-mixroute-request-id'))!.costNanoUsd;
    expect(costOf(before)).toBe(defaultCost);
    expect(costOf(after)).toBe(apiCost);
    expect(costOf(restored)).toBe(defaultCost);
  });

  it('only run-time prices can be removed', async () => {
    const configured = await admin('DELETE', '/prices/house-*');
    expect(configured.status).toBe(404);
    expect(configured.body.error.message).toContain('configuration file');
    const builtIn = await admin('DELETE', `/prices/${encodeURIComponent('claude-haiku-4-5*')}`);
    expect(builtIn.status).toBe(404);
    expect(builtIn.body.error.message).toContain('built-in default');
  });
});
