import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anthropicUsageReader } from '../anthropic-usage-reader.js';
import { openAIUsageReader } from '../openai-usage-reader.js';
import type { UsageReader } from '../usage-reader.js';
import { createEmptyUsage, type Usage } from '../usage.js';
import { DEFAULT_PRICES } from './default-prices.js';
import type { ModelPrice } from './model-price.js';
import { priceUsage } from './price-usage.js';
import { resolveModelPrice } from './resolve-model-price.js';

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const usageWith = (fields: Partial<Usage>): Usage => ({ ...createEmptyUsage(), ...fields });

/** Usage and model of a recorded answer, read the way the gateway reads it. */
function readFixture(path: string): { usage: Usage; model: string | undefined } {
  const bytes = new Uint8Array(readFileSync(new URL(path, fixtures)));
  const reader: UsageReader = path.startsWith('openai/') ? openAIUsageReader : anthropicUsageReader;
  if (path.endsWith('.json')) {
    const reading = reader.readJson(bytes);
    if (!reading) throw new Error(`${path}: no usage`);
    return { usage: reading.usage, model: reading.model };
  }
  const tap = reader.createStreamTap();
  tap.push(bytes);
  tap.end();
  const reading = tap.result();
  return { usage: reading.usage, model: reading.model };
}

const sonnet45 = resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: DEFAULT_PRICES })!;
const opus45 = resolveModelPrice({ model: 'claude-opus-4-5-20251101', table: DEFAULT_PRICES })!;

// Rates in nano-USD per token, for reading the sums below: Sonnet 4.5 / 4 in
// 3,000, out 15,000, 5m write 3,750, 1h write 6,000, read 300 (above 200K
// input: 6,000 / 22,500 / 7,500 / 12,000 / 600); Opus 4.5 in 5,000, out
// 25,000, 5m 6,250, 1h 10,000, read 500; Haiku 4.5 in 1,000, out 5,000;
// Haiku 3 in 250, out 1,250; web search 10,000,000 per search ($10 / 1,000).
//
// Every recorded Anthropic answer, priced with DEFAULT_PRICES for the model it
// names. undefined: a model the defaults do not price.
const golden: Record<string, { usage: Partial<Usage>; costNanoUsd: number | undefined }> = {
  // claude-3-haiku-20240307: 17 × 250 + 227 × 1,250 = 4,250 + 283,750.
  'anthropic/stream/broken-duplicate-message-start.sse': { usage: { inputTokens: 17, outputTokens: 227 }, costNanoUsd: 288_000 },
  // claude-opus-4-6: not in the defaults.
  // The usage is the sum of its iterations: the compaction pass and the answer.
  'anthropic/stream/compaction.sse': { usage: { inputTokens: 60_385 + 612, outputTokens: 522 + 2819 }, costNanoUsd: undefined },
  // Sonnet 4.5, cut off after one output token: 12 × 3,000 + 1 × 15,000.
  'anthropic/stream/error-overloaded-midstream.sse': { usage: { inputTokens: 12, outputTokens: 1 }, costNanoUsd: 51_000 },
  // Opus 4.5: 61 × 5,000 + 2 × 25,000 = 305,000 + 50,000.
  'anthropic/stream/minimal-usage.sse': { usage: { inputTokens: 61, outputTokens: 2 }, costNanoUsd: 355_000 },
  // claude-sonnet-5: not in the defaults (priced with Sonnet 4.5's prices below).
  'anthropic/stream/prompt-cache-write.sse': {
    usage: { inputTokens: 6, outputTokens: 198, cacheWrite5mTokens: 3337, cacheReadTokens: 6289 },
    costNanoUsd: undefined,
  },
  // Sonnet 4.5: 12 × 3,000 + 30 × 15,000 = 36,000 + 450,000.
  'anthropic/stream/text.sse': { usage: { inputTokens: 12, outputTokens: 30 }, costNanoUsd: 486_000 },
  // Sonnet 4.5: 69 × 3,000 + 53 × 15,000 = 207,000 + 795,000.
  'anthropic/stream/thinking-signature-text.sse': { usage: { inputTokens: 69, outputTokens: 53 }, costNanoUsd: 1_002_000 },
  // Sonnet 4.5: 565 × 3,000 + 48 × 15,000 = 1,695,000 + 720,000.
  'anthropic/stream/tool-use-no-args.sse': { usage: { inputTokens: 565, outputTokens: 48 }, costNanoUsd: 2_415_000 },
  // Haiku 4.5: 849 × 1,000 + 47 × 5,000 = 849,000 + 235,000.
  'anthropic/stream/tool-use.sse': { usage: { inputTokens: 849, outputTokens: 47 }, costNanoUsd: 1_084_000 },
  // Sonnet 4: 15,665 × 3,000 + 795 × 15,000 + 1 search = 46,995,000 + 11,925,000 + 10,000,000.
  'anthropic/stream/web-search-citations.sse': {
    usage: { inputTokens: 15665, outputTokens: 795, webSearchRequests: 1 },
    costNanoUsd: 68_920_000,
  },
  // claude-opus-4-6: not in the defaults.
  'anthropic/response/compaction.json': { usage: { inputTokens: 60_385 + 682, outputTokens: 592 + 1320 }, costNanoUsd: undefined },
  // Sonnet 4.5: 12 × 3,000 + 29 × 15,000 = 36,000 + 435,000.
  'anthropic/response/text.json': { usage: { inputTokens: 12, outputTokens: 29 }, costNanoUsd: 471_000 },
  // Sonnet 4.5: 69 × 3,000 + 33 × 15,000 = 207,000 + 495,000.
  'anthropic/response/thinking-signature-text.json': { usage: { inputTokens: 69, outputTokens: 33 }, costNanoUsd: 702_000 },
  // claude-3-opus-20240229: retired, not in the defaults.
  'anthropic/response/tool-use-no-args.json': { usage: { inputTokens: 602, outputTokens: 93 }, costNanoUsd: undefined },
  // Haiku 4.5: 1,151 × 1,000 + 87 × 5,000 = 1,151,000 + 435,000.
  'anthropic/response/tool-use.json': { usage: { inputTokens: 1151, outputTokens: 87 }, costNanoUsd: 1_586_000 },
  // Sonnet 4: 27,118 × 3,000 + 600 × 15,000 + 2 searches = 81,354,000 + 9,000,000 + 20,000,000.
  'anthropic/response/web-search-citations.json': {
    usage: { inputTokens: 27118, outputTokens: 600, webSearchRequests: 2 },
    costNanoUsd: 110_354_000,
  },
};

describe('priceUsage: every recorded Anthropic answer at the default prices', () => {
  it('has an expectation for every Anthropic stream and response fixture', () => {
    const recorded = ['stream', 'response'].flatMap((kind) =>
      readdirSync(new URL(`anthropic/${kind}/`, fixtures))
        .filter((name) => name.endsWith('.sse') || name.endsWith('.json'))
        .map((name) => `anthropic/${kind}/${name}`),
    );
    expect(recorded.sort()).toEqual(Object.keys(golden).sort());
  });

  it.each(Object.entries(golden))('%s', (path, expected) => {
    const { usage, model } = readFixture(path);
    expect(usage).toEqual(usageWith(expected.usage));
    const price = resolveModelPrice({ model: model ?? '', table: DEFAULT_PRICES });
    if (expected.costNanoUsd === undefined) {
      expect(price).toBeUndefined();
    } else {
      expect(priceUsage({ usage, price: price! }).costNanoUsd).toBe(expected.costNanoUsd);
    }
  });
});

describe('priceUsage: shapes of usage', () => {
  it('plain (text.sse): 12 × 3,000 + 30 × 15,000 = 486,000 nano-USD, with an exact breakdown', () => {
    expect(priceUsage({ usage: readFixture('anthropic/stream/text.sse').usage, price: sonnet45 })).toEqual({
      costNanoUsd: 486_000,
      tier: 'standard',
      breakdownPicoUsd: {
        input: 36_000_000n,
        output: 450_000_000n,
        cacheWrite5m: 0n,
        cacheWrite1h: 0n,
        cacheRead: 0n,
        webSearch: 0n,
        webFetch: 0n,
      },
      totalPicoUsd: 486_000_000n,
    });
  });

  it('cache writes and reads (prompt-cache-write.sse) at Sonnet 4.5 prices: 17,388,450 nano-USD', () => {
    // 6 × 3,000 = 18,000; 3,337 × 3,750 = 12,513,750; 6,289 × 300 = 1,886,700;
    // 198 × 15,000 = 2,970,000. Total input 9,632: standard tier.
    const priced = priceUsage({ usage: readFixture('anthropic/stream/prompt-cache-write.sse').usage, price: sonnet45 });
    expect(priced.breakdownPicoUsd).toMatchObject({
      input: 18_000_000n,
      cacheWrite5m: 12_513_750_000n,
      cacheRead: 1_886_700_000n,
      output: 2_970_000_000n,
    });
    expect(priced.costNanoUsd).toBe(17_388_450);
  });

  it('cache writes split between 5 minutes and 1 hour (Opus 4.5): 30,300,000 nano-USD', () => {
    // No recording has a 1-hour write, so this usage is synthetic:
    // 10 × 5,000 = 50,000; 1,000 × 6,250 = 6,250,000; 2,000 × 10,000 = 20,000,000;
    // 3,000 × 500 = 1,500,000; 100 × 25,000 = 2,500,000.
    const usage = usageWith({ inputTokens: 10, cacheWrite5mTokens: 1000, cacheWrite1hTokens: 2000, cacheReadTokens: 3000, outputTokens: 100 });
    const priced = priceUsage({ usage, price: opus45 });
    expect(priced.breakdownPicoUsd).toEqual({
      input: 50_000_000n,
      output: 2_500_000_000n,
      cacheWrite5m: 6_250_000_000n,
      cacheWrite1h: 20_000_000_000n,
      cacheRead: 1_500_000_000n,
      webSearch: 0n,
      webFetch: 0n,
    });
    expect(priced.costNanoUsd).toBe(30_300_000);
  });

  it('the same split at Claude Haiku 3, whose cache prices are stated, not derived: 1,517,500 nano-USD', () => {
    // 10 × 250 + 1,000 × 300 + 2,000 × 500 + 3,000 × 30 + 100 × 1,250
    // = 2,500 + 300,000 + 1,000,000 + 90,000 + 125,000.
    const haiku3 = resolveModelPrice({ model: 'claude-3-haiku-20240307', table: DEFAULT_PRICES })!;
    const usage = usageWith({ inputTokens: 10, cacheWrite5mTokens: 1000, cacheWrite1hTokens: 2000, cacheReadTokens: 3000, outputTokens: 100 });
    expect(priceUsage({ usage, price: haiku3 }).costNanoUsd).toBe(1_517_500);
  });

  it('web search uses (web-search-citations.json, 2 searches): 20,000,000 of 110,354,000 nano-USD', () => {
    const { usage, model } = readFixture('anthropic/response/web-search-citations.json');
    const priced = priceUsage({ usage, price: resolveModelPrice({ model: model!, table: DEFAULT_PRICES })! });
    expect(priced.breakdownPicoUsd.webSearch).toBe(20_000_000_000n);
    expect(priced.costNanoUsd).toBe(110_354_000);
  });

  it('web fetches cost nothing per use at Anthropic prices, and what the operator states otherwise', () => {
    const usage = usageWith({ webFetchRequests: 3 });
    expect(priceUsage({ usage, price: sonnet45 }).costNanoUsd).toBe(0);
    // 3 × $1 / 1,000 = $0.003 = 3,000,000 nano-USD.
    expect(priceUsage({ usage, price: { ...sonnet45, webFetchPer1k: '1' } }).costNanoUsd).toBe(3_000_000);
  });
});

describe('priceUsage: the long-context tier', () => {
  it('bills a 250,000-token input entirely at the long-context rates: 1,522,500,000 nano-USD', () => {
    // 250,000 × 6,000 + 1,000 × 22,500 = 1,500,000,000 + 22,500,000.
    const priced = priceUsage({ usage: usageWith({ inputTokens: 250_000, outputTokens: 1000 }), price: sonnet45 });
    expect(priced.tier).toBe('long-context');
    expect(priced.costNanoUsd).toBe(1_522_500_000);
  });

  it('switches above the threshold, not at it', () => {
    // 200,000 × 3,000 = 600,000,000; 200,001 × 6,000 = 1,200,006,000.
    expect(priceUsage({ usage: usageWith({ inputTokens: 200_000 }), price: sonnet45 })).toMatchObject({
      tier: 'standard',
      costNanoUsd: 600_000_000,
    });
    expect(priceUsage({ usage: usageWith({ inputTokens: 200_001 }), price: sonnet45 })).toMatchObject({
      tier: 'long-context',
      costNanoUsd: 1_200_006_000,
    });
  });

  it('counts cache reads toward the threshold: 1,000 + 199,001 read = 200,001 → 125,400,600 nano-USD', () => {
    // 1,000 × 6,000 + 199,001 × 600 = 6,000,000 + 119,400,600
    // (at standard rates it would be 3,000,000 + 59,700,300 = 62,700,300).
    const priced = priceUsage({ usage: usageWith({ inputTokens: 1000, cacheReadTokens: 199_001 }), price: sonnet45 });
    expect(priced).toMatchObject({ tier: 'long-context', costNanoUsd: 125_400_600 });
  });

  it('prices every part at the tier, cache writes included: 1,035,825,000 nano-USD', () => {
    // Total input 100 + 50,000 + 50,000 + 100,000 = 200,100.
    // 100 × 6,000 = 600,000; 50,000 × 7,500 = 375,000,000; 50,000 × 12,000 = 600,000,000;
    // 100,000 × 600 = 60,000,000; 10 × 22,500 = 225,000.
    const usage = usageWith({ inputTokens: 100, cacheWrite5mTokens: 50_000, cacheWrite1hTokens: 50_000, cacheReadTokens: 100_000, outputTokens: 10 });
    expect(priceUsage({ usage, price: sonnet45 }).costNanoUsd).toBe(1_035_825_000);
  });

  it('leaves server-tool prices alone: 250,000 input + 2 searches = 1,520,000,000 nano-USD', () => {
    // 250,000 × 6,000 + 2 × 10,000,000.
    const usage = usageWith({ inputTokens: 250_000, webSearchRequests: 2 });
    expect(priceUsage({ usage, price: sonnet45 }).costNanoUsd).toBe(1_520_000_000);
  });

  it('does not apply to a model without a tier: Opus 4.5 at 250,000 input is 1,250,000,000 nano-USD', () => {
    expect(priceUsage({ usage: usageWith({ inputTokens: 250_000 }), price: opus45 })).toMatchObject({
      tier: 'standard',
      costNanoUsd: 1_250_000_000,
    });
  });
});

describe('priceUsage: a translated request (DeepSeek through the OpenAI protocol)', () => {
  // An operator's entry for an upstream Anthropic does not price. The numbers
  // are the operator's to choose; these are illustrative: $0.55 input, $2.19
  // output, $0.14 cache read per MTok = 550, 2,190 and 140 nano-USD per token.
  const deepseek: ModelPrice = { pattern: 'deepseek-reasoner', inputPerMTok: '0.55', outputPerMTok: '2.19', cacheReadPerMTok: '0.14' };
  const table = [deepseek, ...DEFAULT_PRICES];

  it('deepseek-tool-call.sse: 19 × 550 + 83 × 2,190 + 320 × 140 = 237,020 nano-USD', () => {
    // prompt 339 of which 320 cached → 19 uncached; completion 83.
    // 10,450 + 181,770 + 44,800.
    const { usage, model } = readFixture('openai/stream/deepseek-tool-call.sse');
    expect(usage).toEqual(usageWith({ inputTokens: 19, outputTokens: 83, cacheReadTokens: 320 }));
    expect(priceUsage({ usage, price: resolveModelPrice({ model: model!, table })! }).costNanoUsd).toBe(237_020);
  });

  it('deepseek-tool-call.json: 19 × 550 + 92 × 2,190 + 320 × 140 = 256,730 nano-USD', () => {
    // 10,450 + 201,480 + 44,800.
    const { usage, model } = readFixture('openai/response/deepseek-tool-call.json');
    expect(usage).toEqual(usageWith({ inputTokens: 19, outputTokens: 92, cacheReadTokens: 320 }));
    expect(priceUsage({ usage, price: resolveModelPrice({ model: model!, table })! }).costNanoUsd).toBe(256_730);
  });

  it('prices below a nano-USD per token stay exact until the one rounding', () => {
    // $0.0275/MTok = 27.5 nano-USD per token: 2 tokens = 55, 3 tokens = 82.5 → 83.
    const cheap: ModelPrice = { pattern: 'cheap', inputPerMTok: '0.0275', outputPerMTok: '0' };
    expect(priceUsage({ usage: usageWith({ inputTokens: 2 }), price: cheap }).costNanoUsd).toBe(55);
    expect(priceUsage({ usage: usageWith({ inputTokens: 3 }), price: cheap })).toMatchObject({ totalPicoUsd: 82_500n, costNanoUsd: 83 });
  });
});

describe('priceUsage: multipliers and the one rounding', () => {
  const textUsage = usageWith({ inputTokens: 12, outputTokens: 30 }); // 486,000 nano-USD at Sonnet 4.5

  it.each([
    ['1', 486_000],
    ['0.8', 388_800], // 486,000 × 8 / 10
    ['1.5', 729_000],
    ['0', 0],
  ])('multiplier %s: %s nano-USD', (multiplier, costNanoUsd) => {
    expect(priceUsage({ usage: textUsage, price: sonnet45, multiplier }).costNanoUsd).toBe(costNanoUsd);
  });

  it('rounds exactly .5 nano-USD up: 17,388,450 × 0.85 = 14,780,182.5 → 14,780,183', () => {
    const usage = usageWith({ inputTokens: 6, outputTokens: 198, cacheWrite5mTokens: 3337, cacheReadTokens: 6289 });
    expect(priceUsage({ usage, price: sonnet45, multiplier: '0.85' }).costNanoUsd).toBe(14_780_183);
  });

  it.each([
    ['0.00049', 2], // 5,000 × 0.00049 = 2.45 → 2
    ['0.0005', 3], // 2.5 → 3 (half to even would give 2)
    ['0.00051', 3], // 2.55 → 3
    ['0.0003', 2], // 1.5 → 2
  ])('one Opus 4.5 input token (5,000 nano-USD) × %s = %s nano-USD', (multiplier, costNanoUsd) => {
    expect(priceUsage({ usage: usageWith({ inputTokens: 1 }), price: opus45, multiplier }).costNanoUsd).toBe(costNanoUsd);
  });

  it('rounds the sum once, not each part: 0.4 + 0.4 nano-USD is 1, not 0', () => {
    const price: ModelPrice = { pattern: 'p', inputPerMTok: '0.0004', outputPerMTok: '0.0004' };
    const priced = priceUsage({ usage: usageWith({ inputTokens: 1, outputTokens: 1 }), price });
    expect(priced.breakdownPicoUsd).toMatchObject({ input: 400n, output: 400n });
    expect(priced.costNanoUsd).toBe(1);
  });

  it('applies the multiplier before rounding: 0.8 nano-USD × 0.5 = 0.4 → 0, and × 0.625 = 0.5 → 1', () => {
    const price: ModelPrice = { pattern: 'p', inputPerMTok: '0.0004', outputPerMTok: '0.0004' };
    const usage = usageWith({ inputTokens: 1, outputTokens: 1 });
    expect(priceUsage({ usage, price, multiplier: '0.5' }).costNanoUsd).toBe(0);
    expect(priceUsage({ usage, price, multiplier: '0.625' }).costNanoUsd).toBe(1);
  });
});

describe('priceUsage: invalid input', () => {
  const usage = usageWith({ inputTokens: 1, outputTokens: 1 });

  it.each([
    ['3,00', /^price "bad" inputPerMTok: "3,00" is not a decimal number/],
    ['-3', /^price "bad" inputPerMTok: "-3" is not a decimal number/],
    ['3e0', /^price "bad" inputPerMTok: "3e0" is not a decimal number/],
    ['', /^price "bad" inputPerMTok: "" is not a decimal number/],
    ['3.0000001', /^price "bad" inputPerMTok: "3.0000001" USD per million tokens has more than 6 decimal places/],
  ])('refuses the price %j', (inputPerMTok, message) => {
    expect(() => priceUsage({ usage, price: { pattern: 'bad', inputPerMTok, outputPerMTok: '1' } })).toThrow(message);
  });

  it.each(['-0.8', '80%', '0,8', ' 1'])('refuses the multiplier %j', (multiplier) => {
    expect(() => priceUsage({ usage, price: sonnet45, multiplier })).toThrow(/^multiplier: .* is not a decimal number/);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses a token count of %s', (inputTokens) => {
    expect(() => priceUsage({ usage: usageWith({ inputTokens }), price: sonnet45 })).toThrow(/^usage.inputTokens: .* is not a non-negative whole number/);
  });
});
