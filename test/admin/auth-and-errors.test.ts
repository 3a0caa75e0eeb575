/**
 * The admin API's door and its refusals: only keys of admin users get in,
 * and every refusal is Anthropic's error envelope with the right status and a
 * message naming what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, BOB_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { createAdminClient, expectedError, type AdminCall } from './admin-client.js';

let upstream: FakeUpstream;
let mixroute: TestGateway;
let admin: AdminCall;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  // alice's key belongs to the bootstrap user "admin" (role admin); bob's to bob (role user).
  mixroute = await startTestGateway({ upstreamUrl: upstream.url });
  admin = createAdminClient(mixroute.url, ALICE_KEY);
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

describe('admin API authentication', () => {
  it('accepts an admin key as Authorization: Bearer or as x-api-key', async () => {
    expect((await admin('GET', '/users')).status).toBe(200);
    const viaHeader = await createAdminClient(mixroute.url)('GET', '/users', undefined, { 'x-api-key': ALICE_KEY });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers.get('request-id')).toMatch(/./);
  });

  it('401 without a key or with an unknown one, on existing and unknown paths alike', async () => {
    const anonymous = createAdminClient(mixroute.url);
    for (const path of ['/users', '/keys', '/nowhere']) {
      const answer = await anonymous('GET', path);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(expectedError('authentication_error'));
    }
    const wrong = await createAdminClient(mixroute.url, 'sk-mr-not-a-real-key-000000')('POST', '/users', { name: 'x' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(expectedError('authentication_error', 'invalid x-api-key'));
  });

  it("403 permission_error for a valid key whose user is not an admin; promotion lets it in at once, demotion shuts it out", async () => {
    const bob = createAdminClient(mixroute.url, BOB_KEY);
    const refused = await bob('GET', '/users');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(expectedError('permission_error', expect.stringContaining('admin')));

    expect((await admin('PATCH', '/users/bob', { role: 'admin' })).body.role).toBe('admin');
    expect((await bob('GET', '/users')).status).toBe(200);
    expect((await admin('PATCH', '/users/bob', { role: 'user' })).body.role).toBe('user');
    expect((await bob('GET', '/users')).status).toBe(403);
  });

  it('a revoked admin key gets 401 at once', async () => {
    const created = await admin('POST', '/keys', { name: 'second-admin-key', user: 'admin' });
    expect(created.status).toBe(201);
    const second = createAdminClient(mixroute.url, created.body.secret);
    expect((await second('GET', '/keys')).status).toBe(200);
    expect((await admin('POST', `/keys/${created.body.id}/revoke`)).body.status).toBe('revoked');
    const after = await second('GET', '/keys');
    expect(after.status).toBe(401);
    expect(after.body).toEqual(expectedError('authentication_error', 'This API key has been revoked.'));
  });

  it('the OpenAPI document needs no key', async () => {
    const answer = await createAdminClient(mixroute.url)('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
  });

  it("does not apply to the client API's paths, and nothing outside /admin/v1/ is admin", async () => {
    const answer = await fetch(`${mixroute.url}/admin/users`, { headers: { authorization: `Bearer ${ALICE_KEY}` } });
    expect(answer.status).toBe(404);
  });
});

describe('admin API refusals', () => {
  it('404 not_found_error for an unknown path or resource', async () => {
    for (const path of ['/nowhere', '/users/nobody', '/keys/key_missing', '/channels/missing', '/groups/missing', '/users/nobody/credit']) {
      const method = path.endsWith('/credit') ? 'POST' : 'GET';
      const answer = await admin(method, path, method === 'POST' ? { amount_usd: '1' } : undefined);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).toEqual(expectedError('not_found_error'));
    }
  });

  it('405 with an allow header for a method the path does not serve', async () => {
    const answer = await admin('DELETE', '/users');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, POST');
    expect(answer.body).toEqual(expectedError('invalid_request_error', expect.stringContaining('DELETE')));
    expect((await admin('PUT', '/openapi.json', {})).status).toBe(405);
  });

  it('400 invalid_request_error for malformed JSON or a body that is not an object', async () => {
    const malformed = await admin('POST', '/users', '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual(expectedError('invalid_request_error', 'body: not valid JSON'));
    const array = await admin('POST', '/users', '[1]');
    expect(array.status).toBe(400);
    expect(array.body.error.message).toMatch(/^body: .*object/);
    const empty = await admin('POST', '/users');
    expect(empty.status).toBe(400);
  });

  it('400 naming every wrong field: missing, wrong type, unknown, bad values', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/users', {}, /^name: required$/],
      ['POST', '/users', { name: 42 }, /^name: .*expected string/],
      ['POST', '/users', { name: 'eve', role: 'root' }, /^role: /],
      ['POST', '/users', { name: 'eve', colour: 'blue' }, /^colour: unknown field$/],
      ['POST', '/users', { name: ' eve' }, /^name: no surrounding spaces/],
      ['POST', '/users/bob/credit', {}, /^amount_usd: required$/],
      ['POST', '/users/bob/credit', { amount_usd: 12.5 }, /^amount_usd: .*expected string/],
      ['POST', '/users/bob/credit', { amount_usd: '12.5.0' }, /^amount_usd: /],
      ['POST', '/users/bob/credit', { amount_usd: '0.0000000001' }, /^amount_usd: "0.0000000001" is not an amount of US dollars with at most 9 decimals/],
      ['PATCH', '/users/bob', { spend_limit: { amount_usd: '5', period: 'year' } }, /^spend_limit\.period: /],
      ['PATCH', '/users/bob', { spend_limit: { amount_usd: '-5', period: 'day' } }, /^spend_limit\.amount_usd: must not be negative/],
      ['PATCH', '/users/bob', { group: 'no-such-group' }, /^group: no price group named "no-such-group"/],
      ['POST', '/keys', { name: 'k' }, /^user: required$/],
      ['POST', '/keys', { name: 'k', user: 'nobody' }, /^user: no user with id or name "nobody"/],
      ['POST', '/keys', { name: 'k', user: 'bob', allowed_ips: ['10.0.0.0/33'] }, /^allowed_ips\.0: an IPv4 or IPv6 address or CIDR range/],
      ['POST', '/keys', { name: 'k', user: 'bob', requests_per_minute: 0 }, /^requests_per_minute: /],
      ['POST', '/keys', { name: 'k', user: 'bob', quota_usd: '-1' }, /^quota_usd: /],
      ['POST', '/keys', { name: 'k', user: 'bob', expires_at: 'tomorrow' }, /^expires_at: "tomorrow" is not an RFC 3339 time/],
      ['POST', '/keys', { name: 'k', user: 'bob', expires_at: '2001-01-01T00:00:00Z' }, /^expires_at: must be in the future/],
      ['POST', '/channels', { name: 'c', type: 'anthropic', base_url: 'https://example.com', models: ['x'] }, /^body: a channel needs api_key or api_keys/],
      ['POST', '/channels', { name: 'c', type: 'grpc', base_url: 'https://example.com', api_key: 'k', models: ['x'] }, /^type: /],
      ['PUT', '/groups/vip', { price_multiplier: 0.8 }, /^price_multiplier: /],
      ['PUT', '/groups/not%20valid', { price_multiplier: '0.8' }, /^name: letters, digits/],
      ['PUT', '/prices/my-model', { input: '1' }, /^output: required$/],
      ['PUT', '/prices/my-model', { input: 'one', output: '2' }, /^input: /],
      ['PUT', '/prices/my-model', { model: 'other', input: '1', output: '2' }, /^model: must match the pattern in the path/],
      ['GET', '/ledger?limit=0', undefined, /^limit: /],
      ['GET', '/ledger?cursor=garbage', undefined, /^cursor: not a cursor this API returned/],
      ['GET', '/ledger?from=yesterday', undefined, /^from: /],
      ['GET', '/ledger?colour=red', undefined, /^colour: unknown field$/],
      ['GET', '/usage', undefined, /^group_by: required$/],
      ['GET', '/usage?group_by=week', undefined, /^group_by: /],
      ['GET', '/usage?group_by=day&from=2025-02-01&to=2025-01-01', undefined, /^to: must be after from$/],
      ['GET', '/keys?user=nobody', undefined, /^user: no user/],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await admin(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body, `${method} ${path} ${JSON.stringify(body)}`).toEqual(expectedError('invalid_request_error', expect.stringMatching(message)));
    }
  });

  it('409 for conflicts: duplicate names, a balance below zero, demoting yourself', async () => {
    expect((await admin('POST', '/users', { name: 'frank' })).status).toBe(201);
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/users', { name: 'frank' }],
      ['POST', '/keys', { name: 'alice', user: 'frank' }],
      ['POST', '/channels', { name: 'fake-anthropic', type: 'anthropic', base_url: upstream.url, api_key: 'k', models: ['x'] }],
      ['POST', '/users/frank/credit', { amount_usd: '-0.000000001' }],
      ['PATCH', '/users/admin', { role: 'user' }],
    ];
    for (const [method, path, body] of cases) {
      const answer = await admin(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(409);
      expect(answer.body, `${method} ${path}`).toEqual(expectedError('invalid_request_error'));
    }
  });

  it('413 for a body over the admin limit', async () => {
    const answer = await admin('POST', '/users', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(expectedError('request_too_large'));
  });
});
