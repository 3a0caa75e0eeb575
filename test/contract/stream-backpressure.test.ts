/**
 * A long stream that the upstream writes in one burst. The gateway reads it in 64 KB pieces that
 * cut events in two, so each piece goes to the client as several writes, and those writes fill
 * the response's buffer: the relay pauses the upstream and resumes it at the response's 'drain'.
 * The client must get every byte, with the stream's usage in the ledger, whether it reads at
 * once or slowly.
 *
 * On Node 22 and 24 the relay used to hang here after the first 192 KB: it corked the response
 * around those writes, and a corked response that refuses a write never emits 'drain'
 * (nodejs/node#60432). Node 20 emits it, so on Node 20 this test passes with either relay; run it
 * under a newer Node to check the fix.
 */
import Anthropic from '@anthropic-ai/sdk';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAnthropicSse, replaySynthetic, startFakeAnthropicUpstream, type FakeUpstream, type SyntheticMessageOptions } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const OUTPUT_TOKENS = 6001;
const TEXT = Array.from({ length: 2000 }, (_, index) => `${index} ${'word '.repeat(index % 37)}`).join('');
/** About 1 MB of SSE in deltas of 23 characters; the fake upstream writes it in one burst (no `split`). */
const MESSAGE: SyntheticMessageOptions = {
  id: 'msg_backpressure',
  model: 'claude-sonnet-4-5-20250929',
  blocks: [{ type: 'text', text: TEXT, deltaSize: 23 }],
  usage: { input_tokens: 12, output_tokens: OUTPUT_TOKENS },
};
const STREAM = Buffer.from(buildAnthropicSse(MESSAGE));

let upstream: FakeUpstream;
let mixroute: TestGateway;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream({ handler: replaySynthetic(MESSAGE) });
  mixroute = await startTestGateway({ upstreamUrl: upstream.url });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});

const REQUEST = JSON.stringify({ model: 'house-model', max_tokens: 8192, stream: true, messages: [{ role: 'user', content: 'A long answer, please.' }] });

/** POSTs REQUEST and collects the streamed body, pausing `pauseMs` after every piece when given. */
function readStream(pauseMs?: number): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${mixroute.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': ALICE_KEY, 'anthropic-version': '2023-06-01' } }, (response) => {
      const pieces: Buffer[] = [];
      response.on('data', (piece: Buffer) => {
        pieces.push(piece);
        if (pauseMs !== undefined) {
          response.pause();
          void sleep(pauseMs).then(() => response.resume());
        }
      });
      response.on('end', () => resolve({ status: response.statusCode!, body: Buffer.concat(pieces) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(REQUEST);
  });
}

async function expectOkRow(): Promise<void> {
  const [row] = await mixroute.ledger();
  expect(row).toMatchObject({ status: 200, outcome: 'ok', stream: true, inputTokens: 12, outputTokens: OUTPUT_TOKENS });
}

describe('a long passthrough stream written by the upstream in one burst', () => {
  it('reaches a client that reads at once byte for byte', async () => {
    const answer = await readStream();
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(STREAM.length);
    expect(answer.body.equals(STREAM)).toBe(true);
    await expectOkRow();
  }, 15_000);

  it('reaches a client that reads slowly byte for byte', async () => {
    const answer = await readStream(2);
    expect(answer.body.equals(STREAM)).toBe(true);
    await expectOkRow();
  }, 30_000);

  it('reads as the same text through the official SDK', async () => {
    const client = new Anthropic({ apiKey: ALICE_KEY, baseURL: mixroute.url, maxRetries: 0 });
    const stream = client.messages.stream({ model: 'house-model', max_tokens: 8192, messages: [{ role: 'user', content: 'A long answer, please.' }] });
    const message = await stream.finalMessage();
    expect(message.content).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'text', text: TEXT });
    expect(message.usage.output_tokens).toBe(OUTPUT_TOKENS);
    await expectOkRow();
  }, 15_000);
});
