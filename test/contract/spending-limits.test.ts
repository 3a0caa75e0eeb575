/**
 * Spending beyond the prepaid balance, through the official SDKs against a
 * running mixroute: a key's own quota, a user's spending limit per period
 * (concurrent requests never overshoot it), price groups, and prices changed
 * at run time. Each refusal names its limit, in the client's own dialect.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateWorstCaseCost } from '../../src/metering/pricing/estimate-worst-case-cost.js';
import { DEFAULT_PRICES } from '../../src/metering/pricing/default-prices.js';
import { resolveModelPrice } from '../../src/metering/pricing/resolve-model-price.js';
import { delayBeforeHeaders, replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const MESSAGE = { model: MODEL, max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] };
/** What the recorded `text` answer costs at list price: Sonnet 4.5, 12 input and 29 output tokens. */
const LIST_COST = 12 * 3_000 + 29 * 15_000;

const KEYS = {
  tinyQuota: 'sk-tiny-quota-0123456789ab',
  quota: 'sk-quota-0123456789abcdef',
  limited: 'sk-limited-0123456789abcd',
  grouped: 'sk-grouped-0123456789abcd',
};

let upstream: FakeUpstream;
let mixroute: TestGateway;
const anthropic = (apiKey: string) => new Anthropic({ apiKey, baseURL: mixroute.url, maxRetries: 0 });

beforeAll(async () => {
  // Slow enough that concurrent reservations all happen before the first settlement.
  upstream = await startFakeAnthropicUpstream({ handler: delayBeforeHeaders(1_000, replayFixture('text')) });
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: {
      keys: [
        { name: 'tiny-quota', key: KEYS.tinyQuota, user: 'quinn', limits: { quota_usd: '0.000001' } },
        { name: 'quota', key: KEYS.quota, user: 'quinn', limits: { quota_usd: '1' } },
        { name: 'limited', key: KEYS.limited, user: 'dave' },
        { name: 'grouped', key: KEYS.grouped, user: 'erin' },
      ],
    },
  });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

const worstCase = () =>
  estimateWorstCaseCost({ inputTokens: Math.ceil(Buffer.byteLength(JSON.stringify(MESSAGE)) / 4), maxOutputTokens: 50, price: resolveModelPrice({ model: MODEL, table: DEFAULT_PRICES })! });

describe("a key's own quota", () => {
  it('refuses a request the quota cannot cover, with a 400 naming the quota, before reaching the upstream', async () => {
    const before = upstream.messagesRequests().length;
    const error = await anthropic(KEYS.tinyQuota).messages.create(MESSAGE).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/API key's quota is used up .*\$0\.000000000 of its \$0\.000001000/) },
    });
    expect(upstream.messagesRequests()).toHaveLength(before);
  });

  it('charges the real cost to the quota once the answer is done', async () => {
    await anthropic(KEYS.quota).messages.create(MESSAGE);
    await mixroute.gateway.flushLedger();
    const key = await mixroute.gateway.storage.apiKeys.findByName('quota');
    expect(key!.policy.quotaNanoUsd).toBe(1_000_000_000);
    expect(key!.quotaUsedNanoUsd).toBe(LIST_COST);
  });
});

describe("a user's spending limit per day", () => {
  it('20 concurrent requests against a limit covering exactly 5: 5 succeed, 15 get 429 with retry-after, the period total equals the ledger', async () => {
    await mixroute.gateway.storage.users.update('dave', { spendLimit: { amountNanoUsd: 5 * worstCase(), period: 'day' } });
    await mixroute.gateway.reload();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        anthropic(KEYS.limited)
          .messages.create(MESSAGE)
          .then(() => 'ok' as const)
          .catch((caught: unknown) => caught),
      ),
    );
    expect(results.filter((result) => result === 'ok')).toHaveLength(5);
    const refused = results.filter((result) => result !== 'ok');
    expect(refused).toHaveLength(15);
    for (const error of refused) {
      expect(error).toBeInstanceOf(Anthropic.RateLimitError);
      const rateLimited = error as InstanceType<typeof Anthropic.RateLimitError>;
      expect(rateLimited.error).toMatchObject({ error: { type: 'rate_limit_error', message: expect.stringContaining('daily spending limit is reached') } });
      const retryAfter = Number(rateLimited.headers?.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const dave = await mixroute.gateway.storage.users.findByName('dave');
    const rows = (await mixroute.ledger()).filter((row) => row.userId === dave!.id && row.status === 200);
    expect(rows).toHaveLength(5);
    const spent = rows.reduce((sum, row) => sum + row.costNanoUsd, 0);
    expect(spent).toBe(5 * LIST_COST);
    expect(dave!.periodSpentNanoUsd).toBe(spent);
  });

  it('an OpenAI client gets the refusal as an OpenAI error', async () => {
    const openai = new OpenAI({ apiKey: KEYS.limited, baseURL: `${mixroute.url}/v1`, maxRetries: 0 });
    // The limit has room for 5 worst cases, 5 real costs are spent: a big max_tokens cannot fit.
    const error = await openai.chat.completions.create({ model: MODEL, max_tokens: 100_000, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ message: expect.stringContaining('daily spending limit is reached') });
  });
});

describe('prices', () => {
  it("a price group's multiplier scales what the user is charged, rounded once", async () => {
    await mixroute.gateway.storage.userGroups.upsert({ name: 'half', priceMultiplier: '0.5' });
    await mixroute.gateway.storage.users.update('erin', { groupName: 'half' });
    await mixroute.gateway.reload();
    const message = await anthropic(KEYS.grouped).messages.create(MESSAGE);
    await mixroute.gateway.flushLedger();
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ costNanoUsd: LIST_COST / 2, outputTokens: message.usage.output_tokens });
  });

  it('a price set at run time applies to the next request, on this model only', async () => {
    await mixroute.gateway.storage.prices.upsert({ pattern: MODEL, inputPerMTok: '1', outputPerMTok: '2' });
    await mixroute.gateway.reload();
    await anthropic(KEYS.quota).messages.create(MESSAGE);
    await mixroute.gateway.flushLedger();
    expect((await mixroute.ledger())[0]!.costNanoUsd).toBe(12 * 1_000 + 29 * 2_000);
    await mixroute.gateway.storage.prices.remove(MODEL);
    await mixroute.gateway.reload();
    await anthropic(KEYS.quota).messages.create(MESSAGE);
    await mixroute.gateway.flushLedger();
    expect((await mixroute.ledger())[0]!.costNanoUsd).toBe(LIST_COST);
  });
});
