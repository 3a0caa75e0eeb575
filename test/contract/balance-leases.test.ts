/**
 * Balance leases end to end: with a balance far larger than one request, a
 * server reserves its requests in memory from a leased share of the balance.
 * 200 requests (16 at a time) all succeed; while the lease is held the
 * balance as stored is lower by what the lease holds, the balance shown
 * (users repository, admin API) is exact, and once the server has shut down
 * the stored balance is the starting one minus the ledger's costs, to the
 * nano-USD, with no lease left. On SQLite (one instance) and on PostgreSQL
 * (two instances sharing the database, when DATABASE_URL is set).
 */
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateWorstCaseCost } from '../../src/metering/pricing/estimate-worst-case-cost.js';
import { DEFAULT_PRICES } from '../../src/metering/pricing/default-prices.js';
import { resolveModelPrice } from '../../src/metering/pricing/resolve-model-price.js';
import { replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const databaseUrl = process.env.DATABASE_URL;
const KEY = 'sk-leased-0123456789abcdef';
const BODY = JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
const RESERVATION = estimateWorstCaseCost({
  inputTokens: Math.ceil(Buffer.byteLength(BODY) / 4),
  maxOutputTokens: 50,
  price: resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: DEFAULT_PRICES })!,
});
// Room for many leases of 64 reservations, each at most an eighth of the balance.
const START = 100_000 * RESERVATION;
// Sonnet 4.5, 12 input and 29 output tokens a request (the recorded answer).
const COST = 12 * 3_000 + 29 * 15_000;

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream({ handler: replayFixture('text') });
});
afterAll(async () => {
  await upstream?.close();
});

/** 200 requests, 16 at a time, spread over the gateways in turn; their statuses. */
async function send200(gateways: TestGateway[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let batch = 0; batch < 200; batch += 16) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(16, 200 - batch) }, async (_, index) => {
        const gateway = gateways[(batch + index) % gateways.length]!;
        const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: BODY });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    statuses.push(...answers);
  }
  return statuses;
}

describe('balance leases, one instance on SQLite', () => {
  it('serves 200 billed requests from a lease; the shown balance is exact throughout, and shutdown gives the lease back', async () => {
    const mixroute = await startTestGateway({ upstreamUrl: upstream.url, config: { keys: [{ name: 'leased', key: KEY, user: 'carol' }] } });
    try {
      const { storage } = mixroute.gateway;
      expect(await storage.users.credit('carol', START)).toBe(true);
      await mixroute.gateway.reload();
      expect(await send200([mixroute])).toEqual(Array(200).fill(200));
      const rows = (await mixroute.ledger()).filter((row) => row.status === 200);
      expect(rows).toHaveLength(200);
      expect(rows.reduce((sum, row) => sum + row.costNanoUsd, 0)).toBe(200 * COST);

      const leases = await storage.database.db.selectFrom('balance_leases').selectAll().execute();
      expect(leases).toHaveLength(1);
      const stored = Number((await storage.database.db.selectFrom('users').select('balance_nano_usd').where('name', '=', 'carol').executeTakeFirstOrThrow()).balance_nano_usd);
      // The lease's share left the stored balance; what the lease still holds plus the stored balance is what is unspent.
      expect(stored).toBeLessThan(START - 200 * COST);
      expect(stored + Number(leases[0]!.amount_nano_usd)).toBe(START - 200 * COST);
      expect((await storage.users.findByName('carol'))!.balanceNanoUsd).toBe(START - 200 * COST);
      // Nothing in flight: the whole lease is free, and the metrics say so.
      const metrics = await (await fetch(`${mixroute.url}/metrics`)).text();
      expect(metrics).toContain('\nmixroute_balance_leases 1\n');
      expect(metrics).toContain(`\nmixroute_balance_leased_free_nano_usd ${Number(leases[0]!.amount_nano_usd)}\n`);
      // What a lease holds cannot be taken back while it is held; the rest can.
      expect(await storage.users.credit('carol', -(START - 200 * COST))).toBe(false);
      expect(await storage.users.credit('carol', -stored)).toBe(true);
      expect(await storage.users.credit('carol', stored)).toBe(true);
    } finally {
      await mixroute.gateway.close();
    }
    const file = new Database(join(mixroute.dataDir, 'mixroute.db'), { readonly: true });
    try {
      expect(file.prepare("select balance_nano_usd as balance from users where name = 'carol'").get()).toEqual({ balance: START - 200 * COST });
      expect(file.prepare('select count(*) as leases from balance_leases').get()).toEqual({ leases: 0 });
    } finally {
      file.close();
      await rm(mixroute.dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!databaseUrl)(`balance leases, two instances on PostgreSQL${databaseUrl ? '' : ' (skipped: DATABASE_URL not set)'}`, () => {
  const schema = `mixroute_leases_${process.pid}_${Date.now().toString(36)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it('each instance leases its own share; the shown balance is exact on both, and after both shut down the stored balance is too', async () => {
    const config = { server: { database_schema: schema, secret_key: 'cd'.repeat(32) }, keys: [{ name: 'leased', key: KEY, user: 'carol' }] };
    const one = await startTestGateway({ upstreamUrl: upstream.url, databaseUrl, config });
    const two = await startTestGateway({ upstreamUrl: upstream.url, databaseUrl, config });
    try {
      expect(await one.gateway.storage.users.credit('carol', START)).toBe(true);
      await one.gateway.reload();
      await two.gateway.reload();
      expect(await send200([one, two])).toEqual(Array(200).fill(200));
      await two.gateway.flushLedger();
      const rows = (await one.ledger()).filter((row) => row.status === 200);
      expect(rows.reduce((sum, row) => sum + row.costNanoUsd, 0)).toBe(200 * COST);
      expect(await one.gateway.storage.database.db.selectFrom('balance_leases').selectAll().execute()).toHaveLength(2);
      for (const gateway of [one, two]) expect((await gateway.gateway.storage.users.findByName('carol'))!.balanceNanoUsd).toBe(START - 200 * COST);
    } finally {
      await one.close();
      await two.close();
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const balance = await client.query(`select balance_nano_usd::text as balance from "${schema}".users where name = 'carol'`);
      expect(balance.rows).toEqual([{ balance: String(START - 200 * COST) }]);
      const leases = await client.query(`select count(*)::int as leases from "${schema}".balance_leases`);
      expect(leases.rows).toEqual([{ leases: 0 }]);
    } finally {
      await client.end();
    }
  });
});
