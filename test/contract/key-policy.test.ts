/**
 * What a key may do, through the official SDK: allowed models, allowed client
 * addresses, expiry, and rate limits (requests, tokens, concurrency) with
 * Anthropic's rate-limit headers; and one limit shared by two instances
 * through Redis.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replayFixture, startFakeAnthropicUpstream, stallMidStream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import pg from 'pg';

const HAIKU_ONLY = 'sk-haiku-only-0123456789';
const FAR_AWAY = 'sk-far-away-0123456789ab';
const LOCAL = 'sk-local-only-0123456789';
const THREE_A_MINUTE = 'sk-three-a-minute-01234';
const ONE_AT_A_TIME = 'sk-one-at-a-time-012345';
const FEW_TOKENS = 'sk-few-tokens-0123456789';

let upstream: FakeUpstream;
let mixroute: TestGateway;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: {
      keys: [
        { name: 'haiku-only', key: HAIKU_ONLY, models: ['claude-haiku-*'] },
        { name: 'far-away', key: FAR_AWAY, allowed_ips: ['10.0.0.0/8', '2001:db8::/32'] },
        { name: 'local', key: LOCAL, allowed_ips: ['127.0.0.1/32', '::1'] },
        { name: 'three-a-minute', key: THREE_A_MINUTE, limits: { requests_per_minute: 3 } },
        { name: 'one-at-a-time', key: ONE_AT_A_TIME, limits: { concurrent_requests: 1 } },
        { name: 'few-tokens', key: FEW_TOKENS, limits: { tokens_per_minute: 60 } },
      ],
    },
  });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

const client = (apiKey: string) => new Anthropic({ apiKey, baseURL: mixroute.url, maxRetries: 0 });
const ask = (apiKey: string, model = 'claude-haiku-4-5-20251001') =>
  client(apiKey).messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as InstanceType<typeof Anthropic.APIError>);

describe('allowed models', () => {
  it('refuses other models with 403 permission_error, and lists only the allowed ones', async () => {
    expect((await ask(HAIKU_ONLY)).response.status).toBe(200);
    const refused = await failure(ask(HAIKU_ONLY, 'claude-sonnet-4-5-20250929'));
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(refused!.message).toContain('may not use model claude-sonnet-4-5-20250929');
    const ids: string[] = [];
    for await (const model of client(HAIKU_ONLY).models.list()) ids.push(model.id);
    expect(ids).toEqual(['claude-haiku-4-5-20251001']);
    expect(await failure(client(HAIKU_ONLY).models.retrieve('claude-opus-4-8'))).toMatchObject({ status: 404 });
    expect(upstream.messagesRequests()).toHaveLength(1);
  });
});

describe('allowed client addresses', () => {
  it('refuses a key used from outside its ranges and serves one used from inside', async () => {
    const refused = await failure(ask(FAR_AWAY));
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(refused!.message).toContain('may not be used from 127.0.0.1');
    expect((await ask(LOCAL)).response.status).toBe(200);
    const [row] = (await mixroute.ledger()).filter((entry) => entry.status === 403);
    expect(row).toMatchObject({ outcome: 'gateway_error', errorType: 'permission_error' });
  });
});

describe('expiry', () => {
  it('an expired key is refused with authentication_error', async () => {
    const admin = await mixroute.gateway.storage.users.ensure({ name: 'admin', role: 'admin' });
    const { secret } = await mixroute.gateway.storage.apiKeys.create({ userId: admin.id, name: 'expired', expiresAt: Date.now() - 1_000 });
    const refused = await failure(ask(secret));
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(refused!.message).toContain('expired');
  });
});

describe('rate limits', () => {
  it('requests per minute: the fourth request in a minute gets 429 with retry-after and Anthropic rate-limit headers', async () => {
    const first = await ask(THREE_A_MINUTE);
    expect(first.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('3');
    expect(first.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('2');
    expect(first.response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await ask(THREE_A_MINUTE);
    await ask(THREE_A_MINUTE);
    const limited = await failure(ask(THREE_A_MINUTE));
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited!.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(limited!.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers?.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(upstream.messagesRequests()).toHaveLength(3);
  });

  it('concurrent requests: a second request while the first streams gets 429; after it ends, requests pass again', async () => {
    upstream.setHandler(stallMidStream('text', { afterEvents: 2, stallMs: 600, then: 'resume' }));
    const stream = client(ONE_AT_A_TIME).messages.stream({ model: 'claude-haiku-4-5-20251001', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    await new Promise<void>((resolve) => stream.on('connect', () => resolve()));
    const limited = await failure(ask(ONE_AT_A_TIME));
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited!.message).toContain('concurrent request');
    await stream.finalMessage();
    upstream.setHandler(replayFixture('text'));
    // The slot is freed when the first request's ledger row is written, right after its stream ended.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await ask(ONE_AT_A_TIME)).response.status).toBe(200);
  });

  it('tokens per minute: the prompt is reserved up front, corrected to the upstream-reported tokens, then the key waits', async () => {
    const first = await ask(FEW_TOKENS);
    // Reserved at admission: about a quarter of the body's bytes.
    expect(Number(first.response.headers.get('anthropic-ratelimit-tokens-remaining'))).toBeLessThan(60);
    // Settled at the end to the 12 + 29 tokens the upstream reported: less than the next request's reservation.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const limited = await failure(ask(FEW_TOKENS));
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited!.message).toContain('tokens per minute');
    expect(upstream.messagesRequests()).toHaveLength(1);
  });
});

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
describe.skipIf(!databaseUrl || !redisUrl)(`one limit shared by two instances${databaseUrl && redisUrl ? '' : ' (skipped: DATABASE_URL and REDIS_URL not both set)'}`, () => {
  it('two gateways on one PostgreSQL and one Redis enforce one requests-per-minute limit', async () => {
    const schema = `mixroute_limits_${process.pid}_${Date.now().toString(36)}`;
    const shared = { server: { database_schema: schema, redis_url: redisUrl }, keys: [{ name: 'shared', key: 'sk-shared-limit-0123456', limits: { requests_per_minute: 4 } }] };
    const one = await startTestGateway({ upstreamUrl: upstream.url, databaseUrl, config: shared });
    const two = await startTestGateway({ upstreamUrl: upstream.url, databaseUrl, config: shared });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 8; index++) {
        const gateway = index % 2 === 0 ? one : two;
        const response = await fetch(`${gateway.url}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': 'sk-shared-limit-0123456', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'claude-haiku-4-5-20251001', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(4);
      expect(statuses.filter((status) => status === 429)).toHaveLength(4);
    } finally {
      await one.close();
      await two.close();
      const database = new pg.Client({ connectionString: databaseUrl });
      await database.connect();
      await database.query(`drop schema if exists "${schema}" cascade`);
      await database.end();
    }
  });
});
