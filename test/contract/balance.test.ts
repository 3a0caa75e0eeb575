/**
 * Prepaid balances: each request reserves its worst case before dispatch and
 * settles to its real cost. 200 concurrent requests against a balance that
 * covers exactly 50: exactly 50 succeed, the rest are refused naming the
 * limit, and the final balance is the starting one minus the ledger's costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateWorstCaseCost } from '../../src/metering/pricing/estimate-worst-case-cost.js';
import { DEFAULT_PRICES } from '../../src/metering/pricing/default-prices.js';
import { resolveModelPrice } from '../../src/metering/pricing/resolve-model-price.js';
import { delayBeforeHeaders, replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const KEY = 'sk-prepaid-0123456789abcd';
// max_tokens covers the recorded answer's 29 output tokens, as a real upstream would never exceed it.
const BODY = JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });

let upstream: FakeUpstream;
let mixroute: TestGateway;

beforeAll(async () => {
  // The upstream answers slowly enough that all 200 reservations happen before the first settlement refunds anything.
  upstream = await startFakeAnthropicUpstream({ handler: delayBeforeHeaders(2_500, replayFixture('text')) });
  mixroute = await startTestGateway({ upstreamUrl: upstream.url, config: { keys: [{ name: 'prepaid', key: KEY, user: 'carol' }] } });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

describe('prepaid balance', () => {
  it('200 concurrent requests against a balance covering exactly 50: 50 succeed, the rest are refused, no money is spent twice', async () => {
    const reservation = estimateWorstCaseCost({
      inputTokens: Math.ceil(Buffer.byteLength(BODY) / 4),
      maxOutputTokens: 50,
      price: resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: DEFAULT_PRICES })!,
    });
    const start = 50 * reservation;
    expect(await mixroute.gateway.storage.users.credit('carol', start)).toBe(true);
    await mixroute.gateway.reload();

    const responses = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const response = await fetch(`${mixroute.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: BODY });
        return { status: response.status, body: (await response.json()) as any };
      }),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(50);
    const refused = responses.filter((response) => response.status !== 200);
    expect(refused).toHaveLength(150);
    for (const response of refused) {
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('credit balance is too low') });
    }
    expect(upstream.messagesRequests()).toHaveLength(50);

    await new Promise((resolve) => setTimeout(resolve, 200));
    const rows = (await mixroute.ledger()).filter((row) => row.status === 200);
    expect(rows).toHaveLength(50);
    const spent = rows.reduce((sum, row) => sum + row.costNanoUsd, 0);
    // Sonnet 4.5, 12 input and 29 output tokens a request.
    expect(spent).toBe(50 * (12 * 3_000 + 29 * 15_000));
    const carol = await mixroute.gateway.storage.users.findByName('carol');
    expect(carol!.balanceNanoUsd).toBe(start - spent);
    expect(carol!.balanceNanoUsd).toBeGreaterThanOrEqual(0);
  });

  it('a billed user cannot use a model without a price', async () => {
    const response = await fetch(`${mixroute.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-opus-4-8', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toContain('Model claude-opus-4-8 has no price');
  });
});
