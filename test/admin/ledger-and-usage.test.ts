/**
 * The ledger and usage summaries through the admin API, after real requests
 * through the gateway: pages follow their cursor to the end, filters narrow,
 * and the summaries add up to the rows. On SQLite, and on PostgreSQL when
 * DATABASE_URL is set (a fresh schema, dropped afterwards): the day buckets
 * and sums are SQL on both.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, BOB_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { createAdminClient, type AdminCall } from './admin-client.js';

const databaseUrl = process.env.DATABASE_URL;

describe('ledger and usage on SQLite', () => {
  describeLedgerAndUsage({});
});
describe.skipIf(!databaseUrl)(`ledger and usage on PostgreSQL${databaseUrl ? '' : ' (skipped: DATABASE_URL not set)'}`, () => {
  describeLedgerAndUsage({ databaseUrl, schema: `mixroute_admin_${process.pid}_${Date.now().toString(36)}` });
});

function describeLedgerAndUsage(options: { databaseUrl?: string | undefined; schema?: string }): void {
  let upstream: FakeUpstream;
  let mixroute: TestGateway;
  let admin: AdminCall;

  async function message(key: string, model: string) {
    const response = await fetch(`${mixroute.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream();
    mixroute = await startTestGateway({
      upstreamUrl: upstream.url,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl, config: { server: { database_schema: options.schema } } } : {}),
    });
    admin = createAdminClient(mixroute.url, ALICE_KEY);
    // Three by alice on Sonnet, two by bob on Haiku, one refused for a bad key.
    for (let index = 0; index < 3; index++) expect(await message(ALICE_KEY, 'claude-sonnet-4-5-20250929')).toBe(200);
    for (let index = 0; index < 2; index++) expect(await message(BOB_KEY, 'claude-haiku-4-5-20251001')).toBe(200);
    expect(await message('sk-mr-not-a-key-0000000000', 'claude-sonnet-4-5-20250929')).toBe(401);
    await mixroute.gateway.flushLedger();
  });
  afterAll(async () => {
    await mixroute?.close();
    await upstream?.close();
    if (options.databaseUrl) {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists "${options.schema}" cascade`);
      await client.end();
    }
  });

  describe('ledger', () => {
    it('pages newest first by cursor, each row exactly once, with costs in nano-USD and USD', async () => {
      const stored = await mixroute.ledger();
      expect(stored).toHaveLength(6);
      const seen: any[] = [];
      let page = await admin('GET', '/ledger?limit=4');
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
      seen.push(...page.body.data);
      while (page.body.next_cursor) {
        page = await admin('GET', `/ledger?limit=4&cursor=${encodeURIComponent(page.body.next_cursor)}`);
        seen.push(...page.body.data);
      }
      expect(page.body).toMatchObject({ has_more: false, next_cursor: null });
      expect(seen.map((row) => row.id)).toEqual(stored.map((row) => row.id));

      const first = seen.find((row) => row.id === stored[stored.length - 1]!.id);
      expect(first).toMatchObject({
        created_at: new Date(stored[stored.length - 1]!.createdAt).toISOString(),
        client_model: 'claude-sonnet-4-5-20250929',
        status: 200,
        outcome: 'ok',
        input_tokens: 12,
        output_tokens: 29,
        cost_nano_usd: 12 * 3_000 + 29 * 15_000,
        cost_usd: '0.000471000',
      });
    });

    it('filters by key (name or id), user, model, status and time', async () => {
      const ids = async (query: string) => (await admin('GET', `/ledger?${query}`)).body.data.map((row: any) => row.client_model ?? row.status);
      expect(await ids('key=alice')).toEqual(Array(3).fill('claude-sonnet-4-5-20250929'));
      const bobKey = (await admin('GET', '/keys/bob')).body.id;
      expect(await ids(`key=${bobKey}`)).toEqual(Array(2).fill('claude-haiku-4-5-20251001'));
      expect(await ids('user=bob')).toHaveLength(2);
      expect(await ids('model=claude-haiku-4-5-20251001')).toHaveLength(2);
      expect((await admin('GET', '/ledger?status=401')).body.data).toEqual([expect.objectContaining({ status: 401, key_id: null, error_type: 'authentication_error' })]);
      expect((await admin('GET', '/ledger?outcome=ok')).body.data).toHaveLength(5);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      expect(await ids(`from=${tomorrow}`)).toEqual([]);
      expect(await ids(`to=${tomorrow}`)).toHaveLength(6);
      expect(await ids('from=2000-01-01T00:00:00%2B02:00')).toHaveLength(6);
    });
  });

  describe('usage', () => {
    // The fake upstream answers every request with its recorded Sonnet 4.5 message (12 in, 29 out),
    // and a request is priced, and summed, by the model that answered.
    const sonnet = 12 * 3_000 + 29 * 15_000;

    it('by key, with names, most expensive first, and a total', async () => {
      const usage = await admin('GET', '/usage?group_by=key');
      expect(usage.status).toBe(200);
      expect(usage.body).toMatchObject({ group_by: 'key', from: null, to: null });
      expect(usage.body.data).toEqual([
        expect.objectContaining({ key_id: expect.stringMatching(/^key_/), key_name: 'alice', requests: 3, input_tokens: 36, output_tokens: 87, cost_nano_usd: 3 * sonnet }),
        expect.objectContaining({ key_name: 'bob', requests: 2, cost_nano_usd: 2 * sonnet }),
        expect.objectContaining({ key_id: null, key_name: null, requests: 1, cost_nano_usd: 0 }),
      ]);
      expect(usage.body.total).toEqual({
        requests: 6,
        input_tokens: 60,
        output_tokens: 145,
        cache_write_5m_tokens: 0,
        cache_write_1h_tokens: 0,
        cache_read_tokens: 0,
        web_search_requests: 0,
        web_fetch_requests: 0,
        cost_nano_usd: 5 * sonnet,
        cost_usd: '0.002355000',
      });
    });

    it('by user, model and UTC day, with the same filters as the ledger', async () => {
      const byUser = await admin('GET', '/usage?group_by=user');
      expect(byUser.body.data.map((row: any) => [row.user_name, row.requests])).toEqual([
        ['admin', 3],
        ['bob', 2],
        [null, 1],
      ]);
      const byModel = await admin('GET', '/usage?group_by=model');
      expect(byModel.body.data.map((row: any) => [row.model, row.requests])).toEqual([
        ['claude-sonnet-4-5-20250929', 5],
        // Refused before its body was read: no model at all.
        [null, 1],
      ]);
      const today = new Date().toISOString().slice(0, 10);
      const byDay = await admin('GET', `/usage?group_by=day&user=bob&from=${today}`);
      expect(byDay.body).toMatchObject({ from: `${today}T00:00:00.000Z`, to: null });
      expect(byDay.body.data).toEqual([expect.objectContaining({ day: today, requests: 2, cost_nano_usd: 2 * sonnet, cost_usd: '0.000942000' })]);
    });
  });
}
