/**
 * Users and keys through the admin API, end to end: a user created and
 * credited here, a key issued for them here, used on /v1/messages against the
 * fake upstream, restricted and revoked here — each change felt by the next
 * client request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { createAdminClient, expectedError, type AdminCall } from './admin-client.js';

let upstream: FakeUpstream;
let mixroute: TestGateway;
let admin: AdminCall;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  mixroute = await startTestGateway({ upstreamUrl: upstream.url });
  admin = createAdminClient(mixroute.url, ALICE_KEY);
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

function message(key: string, model = 'claude-sonnet-4-5-20250929') {
  return fetch(`${mixroute.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }),
  });
}

describe('users', () => {
  it('lists, creates, reads by name or id, and changes role, group and spending limit', async () => {
    const listed = await admin('GET', '/users');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((user: any) => [user.name, user.role])).toEqual([
      ['admin', 'admin'],
      ['bob', 'user'],
    ]);

    const created = await admin('POST', '/users', { name: 'carol' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^usr_/),
      name: 'carol',
      role: 'user',
      group: null,
      billed: false,
      balance_nano_usd: null,
      balance_usd: null,
      spend_limit: null,
      period_spent_nano_usd: 0,
      period_spent_usd: '0.000000000',
      period_started_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    expect((await admin('GET', '/users/carol')).body).toEqual(created.body);
    expect((await admin('GET', `/users/${created.body.id}`)).body).toEqual(created.body);

    const admin2 = await admin('POST', '/users', { name: 'dora', role: 'admin' });
    expect(admin2.body.role).toBe('admin');

    const limited = await admin('PATCH', '/users/carol', { spend_limit: { amount_usd: '10.25', period: 'week' } });
    expect(limited.status).toBe(200);
    expect(limited.body.spend_limit).toEqual({ amount_nano_usd: 10_250_000_000, amount_usd: '10.250000000', period: 'week' });
    expect((await mixroute.gateway.storage.users.findByName('carol'))!.spendLimit).toEqual({ amountNanoUsd: 10_250_000_000, period: 'week' });
    expect((await admin('PATCH', '/users/carol', { spend_limit: null })).body.spend_limit).toBeNull();
    expect((await admin('PATCH', '/users/carol', { role: 'admin' })).body.role).toBe('admin');
    expect((await admin('PATCH', '/users/carol', {})).body.role).toBe('admin');
  });

  it('credits exactly, in decimal USD; takes back; never below zero (409)', async () => {
    const credited = await admin('POST', '/users/bob/credit', { amount_usd: '12.50' });
    expect(credited.status).toBe(200);
    expect(credited.body).toMatchObject({ billed: true, balance_nano_usd: 12_500_000_000, balance_usd: '12.500000000' });
    // 0.1 + 0.2 would not be 0.3 in floating point; here it is exact.
    await admin('POST', '/users/bob/credit', { amount_usd: '0.1' });
    const exact = await admin('POST', '/users/bob/credit', { amount_usd: '0.2' });
    expect(exact.body.balance_usd).toBe('12.800000000');
    const back = await admin('POST', '/users/bob/credit', { amount_usd: '-2.799999999' });
    expect(back.body).toMatchObject({ balance_nano_usd: 10_000_000_001, balance_usd: '10.000000001' });
    const refused = await admin('POST', '/users/bob/credit', { amount_usd: '-10.000000002' });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(expectedError('invalid_request_error', expect.stringContaining('cannot go below zero')));
    expect((await admin('GET', '/users/bob')).body.balance_nano_usd).toBe(10_000_000_001);
  });
});

describe('keys', () => {
  it('issues a key (secret answered once), which works on /v1/messages; restricts it; revokes it', async () => {
    await admin('POST', '/users', { name: 'erin' });
    const created = await admin('POST', '/keys', {
      name: 'erin-laptop',
      user: 'erin',
      expires_at: '2999-01-01T00:00:00Z',
      requests_per_minute: 100,
      quota_usd: '5',
    });
    expect(created.status).toBe(201);
    const { secret, ...key } = created.body;
    expect(secret).toMatch(/^sk-mr-[0-9A-Za-z]{40}$/);
    expect(key).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'erin-laptop',
      user_id: expect.stringMatching(/^usr_/),
      user: 'erin',
      prefix: secret.slice(0, 12),
      status: 'active',
      created_at: expect.any(String),
      expires_at: '2999-01-01T00:00:00.000Z',
      revoked_at: null,
      last_used_at: null,
      allowed_models: null,
      allowed_ips: null,
      requests_per_minute: 100,
      tokens_per_minute: null,
      concurrent_requests: null,
      quota_nano_usd: 5_000_000_000,
      quota_usd: '5.000000000',
      quota_used_nano_usd: 0,
      quota_used_usd: '0.000000000',
    });
    // Never again: reading the key shows no secret.
    const read = await admin('GET', `/keys/${key.id}`);
    expect(read.body).toEqual(key);
    expect(JSON.stringify(read.body)).not.toContain(secret);
    expect((await admin('GET', '/keys/erin-laptop')).body.id).toBe(key.id);

    const ok = await message(secret);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).type).toBe('message');

    const restricted = await admin('PATCH', `/keys/${key.id}`, { allowed_models: ['claude-haiku-*'], requests_per_minute: null, allowed_ips: ['127.0.0.1', '::1/128'] });
    expect(restricted.status).toBe(200);
    expect(restricted.body).toMatchObject({ allowed_models: ['claude-haiku-*'], allowed_ips: ['127.0.0.1', '::1/128'], requests_per_minute: null, quota_usd: '5.000000000' });
    const forbidden = await message(secret);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as any).error.type).toBe('permission_error');
    expect((await message(secret, 'claude-haiku-4-5-20251001')).status).toBe(200);

    const revoked = await admin('POST', `/keys/${key.id}/revoke`);
    expect(revoked.body).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) });
    expect((await message(secret, 'claude-haiku-4-5-20251001')).status).toBe(401);
    expect((await admin('POST', `/keys/${key.id}/revoke`)).status).toBe(200);
    const frozen = await admin('PATCH', `/keys/${key.id}`, { requests_per_minute: 1 });
    expect(frozen.status).toBe(409);
    // A revoked key's name is free again.
    expect((await admin('POST', '/keys', { name: 'erin-laptop', user: 'erin' })).status).toBe(201);
  });

  it('lists keys, all or by user and status', async () => {
    const all = await admin('GET', '/keys');
    expect(all.status).toBe(200);
    expect(all.body.data.map((key: any) => key.name)).toEqual(expect.arrayContaining(['alice', 'bob', 'erin-laptop']));
    for (const key of all.body.data) expect(key).not.toHaveProperty('secret');
    const erins = await admin('GET', '/keys?user=erin');
    expect(erins.body.data.map((key: any) => [key.name, key.status])).toEqual([
      ['erin-laptop', 'revoked'],
      ['erin-laptop', 'active'],
    ]);
    expect((await admin('GET', '/keys?user=erin&status=active')).body.data).toHaveLength(1);
  });
});
