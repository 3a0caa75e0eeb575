/**
 * Prepaid balances across instances: two mixroute processes' worth of gateways
 * share one PostgreSQL (a fresh schema of DATABASE_URL's server, dropped
 * afterwards) and Redis (REDIS_URL, when set). 200 concurrent requests, spread
 * alternately over both, against a balance that covers exactly 50: exactly 50
 * succeed, the rest are refused naming the limit, and the final balance is the
 * starting one minus the ledger's costs. The reservation is a conditional
 * update in the shared database, so neither instance can spend what the other
 * holds. The single-instance (SQLite) version is balance.test.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../src/metering/pricing/default-prices.js';
import { estimateWorstCaseCost } from '../../src/metering/pricing/estimate-worst-case-cost.js';
import { resolveModelPrice } from '../../src/metering/pricing/resolve-model-price.js';
import { delayBeforeHeaders, replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const schema = `mixroute_balance_${process.pid}_${Date.now().toString(36)}`;

const SECRET_KEY = 'ab'.repeat(32);
const KEY = 'sk-prepaid-0123456789abcd';
// max_tokens covers the recorded answer's 29 output tokens, as a real upstream would never exceed it.
const BODY = JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });

describe.skipIf(!databaseUrl)(`prepaid balance shared by two instances${databaseUrl ? '' : ' (skipped: DATABASE_URL not set)'}`, () => {
  let upstream: FakeUpstream;
  let one: TestGateway;
  let two: TestGateway;

  beforeAll(async () => {
    // The upstream answers slowly enough that all 200 reservations, on both instances, happen before the first settlement refunds anything.
    upstream = await startFakeAnthropicUpstream({ handler: delayBeforeHeaders(3_000, replayFixture('text')) });
    const config = {
      // Instances sharing a database must share the key that seals channel credentials in it.
      server: { database_schema: schema, secret_key: SECRET_KEY, ...(redisUrl ? { redis_url: redisUrl } : {}) },
      keys: [{ name: 'prepaid', key: KEY, user: 'carol' }],
    };
    // One after the other: the first creates the schema and its tables, the second finds them.
    one = await startTestGateway({ upstreamUrl: upstream.url, databaseUrl, config });
    two = await startTestGateway({ upstreamUrl: upstream.url, databaseUrl, config });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await upstream?.close();
    if (!databaseUrl) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it('200 concurrent requests over two instances against a balance covering exactly 50: 50 succeed, the rest are refused, no money is spent twice', async () => {
    expect(one.gateway.storage.database.dialect).toBe('postgres');
    const reservation = estimateWorstCaseCost({
      inputTokens: Math.ceil(Buffer.byteLength(BODY) / 4),
      maxOutputTokens: 50,
      price: resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: DEFAULT_PRICES })!,
    });
    const start = 50 * reservation;
    expect(await one.gateway.storage.users.credit('carol', start)).toBe(true);
    // Both key caches must learn that carol is now billed.
    await one.gateway.reload();
    await two.gateway.reload();

    const responses = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const gateway = index % 2 === 0 ? one : two;
        const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: BODY });
        return { instance: index % 2, status: response.status, body: (await response.json()) as any };
      }),
    );
    const served = responses.filter((response) => response.status === 200);
    expect(served).toHaveLength(50);
    const refused = responses.filter((response) => response.status !== 200);
    expect(refused).toHaveLength(150);
    for (const response of refused) {
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('credit balance is too low') });
    }
    expect(upstream.messagesRequests()).toHaveLength(50);

    // Both instances write into the same ledger table: flush both, then read it once.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await two.gateway.flushLedger();
    const rows = (await one.ledger()).filter((row) => row.status === 200);
    expect(rows).toHaveLength(50);
    const spent = rows.reduce((sum, row) => sum + row.costNanoUsd, 0);
    // Sonnet 4.5, 12 input and 29 output tokens a request.
    expect(spent).toBe(50 * (12 * 3_000 + 29 * 15_000));
    for (const gateway of [one, two]) {
      const carol = await gateway.gateway.storage.users.findByName('carol');
      expect(carol!.balanceNanoUsd).toBe(start - spent);
      expect(carol!.balanceNanoUsd).toBeGreaterThanOrEqual(0);
    }
  });
});
