/**
 * Compaction (beta): Anthropic samples twice in one request (a summary of the
 * conversation, then the answer) and bills both, while the top-level usage
 * counts only the answer; `usage.iterations` lists both. The ledger charges
 * the sums, and an OpenAI client is told them. The official SDKs, streamed and
 * not, against the recorded answers.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let upstream: FakeUpstream;
let mixroute: TestGateway;
let client: Anthropic;
let openai: OpenAI;

// $5 / $25 per million tokens: 5,000 and 25,000 nano-USD a token.
const INPUT_NANO_USD = 5_000;
const OUTPUT_NANO_USD = 25_000;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream({ handler: replayFixture('compaction') });
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: { prices: [{ model: 'claude-opus-4-6', input: '5', output: '25' }] },
  });
  client = new Anthropic({ apiKey: ALICE_KEY, baseURL: mixroute.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: ALICE_KEY, baseURL: `${mixroute.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

const request = { model: 'claude-opus-4-6', max_tokens: 4096, messages: [{ role: 'user' as const, content: 'Go on.' }] };

async function lastRow() {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return (await mixroute.ledger())[0]!;
}

describe('compaction', () => {
  it('a message: the ledger charges the compaction pass and the answer', async () => {
    const message = await client.messages.create(request);
    // The client gets Anthropic's usage unchanged: the top level is the answer alone.
    expect(message.usage).toMatchObject({ input_tokens: 682, output_tokens: 1320 });
    const row = await lastRow();
    expect(row).toMatchObject({ status: 200, inputTokens: 60_385 + 682, outputTokens: 592 + 1320 });
    expect(row.costNanoUsd).toBe((60_385 + 682) * INPUT_NANO_USD + (592 + 1320) * OUTPUT_NANO_USD);
  });

  it('a stream: the same, from message_delta', async () => {
    const stream = client.messages.stream(request);
    const message = await stream.finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: 612, output_tokens: 2819 });
    const row = await lastRow();
    expect(row).toMatchObject({ status: 200, inputTokens: 60_385 + 612, outputTokens: 522 + 2819 });
    expect(row.costNanoUsd).toBe((60_385 + 612) * INPUT_NANO_USD + (522 + 2819) * OUTPUT_NANO_USD);
  });

  // OpenAI's usage is what the request cost: an OpenAI client is told the sums the ledger charges.
  it('an OpenAI client: its usage counts what the ledger charges', async () => {
    const completion = await openai.chat.completions.create({ model: 'claude-opus-4-6', max_tokens: 4096, messages: [{ role: 'user', content: 'Go on.' }] });
    const row = await lastRow();
    expect(row).toMatchObject({ status: 200, inputTokens: 60_385 + 682, outputTokens: 592 + 1320 });
    expect(completion.usage).toMatchObject({ prompt_tokens: row.inputTokens, completion_tokens: row.outputTokens, total_tokens: row.inputTokens + row.outputTokens });
  });

  it('an OpenAI client streaming: the usage chunk counts what the ledger charges', async () => {
    const stream = await openai.chat.completions.create({ model: 'claude-opus-4-6', max_tokens: 4096, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Go on.' }] });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    const row = await lastRow();
    expect(row).toMatchObject({ status: 200, inputTokens: 60_385 + 612, outputTokens: 522 + 2819 });
    expect(usage).toMatchObject({ prompt_tokens: row.inputTokens, completion_tokens: row.outputTokens, total_tokens: row.inputTokens + row.outputTokens });
  });
});
