/**
 * The same gateway on PostgreSQL: keys from the configuration, a streamed and
 * a plain request through the official SDK, and their ledger rows, in a fresh
 * schema of the machine's server (DATABASE_URL), dropped afterwards.
 */
import Anthropic from '@anthropic-ai/sdk';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const databaseUrl = process.env.DATABASE_URL;
const schema = `mixroute_gateway_${process.pid}_${Date.now().toString(36)}`;

describe.skipIf(!databaseUrl)(`gateway on PostgreSQL${databaseUrl ? '' : ' (skipped: DATABASE_URL not set)'}`, () => {
  let upstream: FakeUpstream;
  let mixroute: TestGateway;

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream({ handler: replayFixture('text') });
    mixroute = await startTestGateway({ upstreamUrl: upstream.url, databaseUrl, config: { server: { database_schema: schema } } });
  });
  afterAll(async () => {
    await mixroute?.close();
    await upstream?.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it('serves and meters requests with keys and channels stored in PostgreSQL', async () => {
    const client = new Anthropic({ apiKey: ALICE_KEY, baseURL: mixroute.url, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.usage.output_tokens).toBe(29);
    const streamed = await client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(streamed.usage.output_tokens).toBe(30);
    const rows = await mixroute.ledger();
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => [row.stream, row.outputTokens]).sort()).toEqual([
      [false, 29],
      [true, 30],
    ]);
    expect(mixroute.gateway.storage.database.dialect).toBe('postgres');
  });
});
