import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../database-schema.js';
import type { Database } from '../database.js';
import { executeNamedSql, type SqlStatement } from '../run-sql-operation.js';
import { compareText } from '../compare-text.js';
import { startOfSpendPeriod, type SpendPeriod } from '../spend-period.js';
import type { BalanceLeaseRepository } from './create-balance-lease-repository.js';

/** What a request's spending is checked against; each part is optional. */
export interface SpendingLimits {
  /** Take the money from the user's prepaid balance (the user is billed). */
  balance: boolean;
  /** The key's own quota in nano-USD (`policy.quotaNanoUsd`), if it has one. */
  keyQuotaNanoUsd?: number | undefined;
  /** The period of the user's spending limit, if they have one (the amount is read from storage). */
  period?: SpendPeriod | undefined;
}

/** Money held for one request in flight; hand it back to `settle`. */
export interface SpendingReservation {
  userId: string;
  keyId: string;
  amountNanoUsd: number;
  balance: boolean;
  keyQuota: boolean;
  /** Start of the period the amount was counted in, when the user has a spending limit. */
  periodStartedAt: number | undefined;
  /** The balance lease it was reserved from in memory (see `create-balance-lease-repository.ts`), if it was. */
  leaseId: string | undefined;
}

/** A reservation and the real cost it settles at. */
export interface Settlement {
  reservation: SpendingReservation;
  costNanoUsd: number;
}

/** Which limit refused a reservation, and its figures (nano-USD) for the error message. */
export type SpendingRefusal =
  | { limit: 'balance'; balanceNanoUsd: number }
  | { limit: 'key_quota'; quotaNanoUsd: number; usedNanoUsd: number }
  | { limit: 'period_limit'; period: SpendPeriod; limitNanoUsd: number; spentNanoUsd: number };

export type ReserveResult = { ok: true; reservation: SpendingReservation } | { ok: false; refusal: SpendingRefusal };

export interface SpendingRepository {
  /**
   * Holds `amountNanoUsd` against every limit that applies, all or nothing:
   * the balance must cover it, the key's quota and the user's period limit
   * must have room for it. Conditional updates in one transaction, so
   * concurrent requests (in this process or another instance on the same
   * database) can never spend the same money twice.
   */
  reserve(input: { userId: string; keyId: string; amountNanoUsd: number; limits: SpendingLimits; now?: number }): Promise<ReserveResult>;
  /**
   * Replaces the reservation by the real cost everywhere it was held. The
   * balance never goes below zero (a cost above the reservation can only come
   * from an input estimate that was too low, and is capped). When the period
   * ended meanwhile, the new period is not charged for a request that began
   * in the old one.
   */
  settle(reservation: SpendingReservation, costNanoUsd: number): Promise<void>;
  /**
   * `settle` for each of `settlements`, as part of a write transaction the
   * caller holds (the ledger stores a batch of rows and settles their
   * reservations in one transaction). On SQLite `trx` must be a transaction
   * on this database's connection. The statements run in one lock order:
   * balance leases' rows (by id), then users' (by id, each followed by its
   * keys'), the order every other spending statement takes them in too, so
   * concurrent PostgreSQL transactions never wait on each other in a cycle.
   */
  settleAllWithin(trx: Kysely<DatabaseSchema>, settlements: readonly Settlement[]): Promise<void>;
  /**
   * SQLite only (undefined elsewhere): `settleAllWithin` for a caller inside
   * a synchronous better-sqlite3 transaction, where nothing may be awaited.
   */
  readonly settleAllWithinSync: ((settlements: readonly Settlement[]) => void) | undefined;
  /**
   * A request's row, settling `reservation` at `costNanoUsd`, is queued for
   * the database: a reservation from a balance lease frees its amount, less
   * the cost, for the lease's next requests at once. Nothing for others.
   */
  settled(reservation: SpendingReservation, costNanoUsd: number): void;
}

/**
 * The SQL of each step, one text for both dialects, with `@name` parameters
 * (better-sqlite3 binds them by name; for PostgreSQL they become `$n`).
 * Only the parts that apply are included, so a request checked against one
 * limit runs one small statement.
 */
function buildTakeFromUserSql(balance: boolean, period: boolean): string {
  const inPeriod = 'case when period_started_at >= @periodStart then period_spent_nano_usd else 0 end';
  const sets: string[] = [];
  const conditions = ['id = @userId'];
  if (balance) {
    sets.push('balance_nano_usd = balance_nano_usd - @amount');
    conditions.push('balance_nano_usd >= @amount');
  }
  if (period) {
    sets.push(`period_spent_nano_usd = ${inPeriod} + @amount`);
    sets.push('period_started_at = case when period_started_at >= @periodStart then period_started_at else @periodStart end');
    conditions.push(`(spend_limit_nano_usd is null or ${inPeriod} + @amount <= spend_limit_nano_usd)`);
    // A key cached before an operator changed the user's period must not count into the new one.
    conditions.push('(spend_limit_period is null or spend_limit_period = @period)');
  }
  // The period the amount was counted in, as stored (another instance may have moved it on already).
  return `update users set ${sets.join(', ')} where ${conditions.join(' and ')}${period ? ' returning period_started_at' : ''}`;
}

/**
 * Each SQL text is built once per combination of limits: a request then costs no string building,
 * and the prepared-statement cache is looked up with the same string (its hash already computed).
 */
function perCombination(build: (balance: boolean, period: boolean) => string): (balance: boolean, period: boolean) => string {
  const texts = [build(false, false), build(false, true), build(true, false), build(true, true)];
  return (balance, period) => texts[(balance ? 2 : 0) + (period ? 1 : 0)]!;
}

const takeFromUserSql = perCombination(buildTakeFromUserSql);

const TAKE_FROM_KEY_SQL = 'update api_keys set quota_used_nano_usd = quota_used_nano_usd + @amount where id = @keyId and quota_used_nano_usd + @amount <= @quota';

function buildSettleUserSql(balance: boolean, period: boolean): string {
  const sets: string[] = [];
  if (balance) {
    sets.push('balance_nano_usd = case when balance_nano_usd + @reserved - @cost < 0 then 0 else balance_nano_usd + @reserved - @cost end');
  }
  if (period) {
    const adjusted = 'period_spent_nano_usd - @reserved + @cost';
    sets.push(`period_spent_nano_usd = case when period_started_at <> @periodStart then period_spent_nano_usd when ${adjusted} < 0 then 0 else ${adjusted} end`);
  }
  return `update users set ${sets.join(', ')} where id = @userId`;
}

const settleUserSql = perCombination(buildSettleUserSql);

const SETTLE_KEY_SQL =
  'update api_keys set quota_used_nano_usd = case when quota_used_nano_usd - @reserved + @cost < 0 then 0 else quota_used_nano_usd - @reserved + @cost end where id = @keyId';

/*
 * A reservation from a balance lease: the cost comes out of the lease's row
 * (the balance gave the lease its amount when it was taken), or, when the
 * lease was reclaimed meanwhile (its amount went back to the balance), out of
 * the balance. The lease's row first: on PostgreSQL its row lock makes a
 * concurrent reclaim wait and then give back the amount net of this cost.
 */
const SETTLE_LEASE_SQL = 'update balance_leases set amount_nano_usd = amount_nano_usd - @cost where id = @leaseId';
const SETTLE_RECLAIMED_LEASE_SQL =
  'update users set balance_nano_usd = case when balance_nano_usd - @cost < 0 then 0 else balance_nano_usd - @cost end where id = @userId and not exists (select 1 from balance_leases where id = @leaseId)';

const REFUSAL_SQL =
  'select u.balance_nano_usd as balance, u.spend_limit_nano_usd as spend_limit, u.period_started_at as period_started_at, u.period_spent_nano_usd as period_spent, k.quota_used_nano_usd as quota_used from users u, api_keys k where u.id = @userId and k.id = @keyId';

/** One statement of a request's spending (`@name` parameters, see run-sql-operation.ts). */
interface Step extends SqlStatement {
  /** The statement ends with RETURNING: its row (if it changed one) is handed back. */
  returns?: boolean;
}

interface StepsResult {
  /** Index of the first step that changed no row (the transaction was rolled back), if any. */
  failed: number | undefined;
  /** The RETURNING row of each step that has one. */
  rows: Array<Record<string, unknown> | undefined>;
}

/** Thrown inside a transaction to roll it back: a limit refused. */
class Refused extends Error {}

interface Executor {
  /** Runs the steps in one write transaction; rolls back and returns the index of the first step that changed no row. */
  inTransaction(steps: Step[], mustChange: boolean): Promise<StepsResult>;
  readOne(step: Step): Promise<Record<string, unknown> | undefined>;
  /** Runs one statement inside a transaction the caller holds. */
  runWithin(trx: Kysely<DatabaseSchema>, step: Step): Promise<void>;
  /** SQLite only: runs one statement inside the synchronous transaction the caller holds. */
  runWithinSync?: (step: Step) => void;
}

/**
 * `leases`: reserve requests checked against the balance alone from this
 * process's balance leases, in memory, instead of one transaction each.
 */
export function createSpendingRepository(database: Database, options: { leases?: BalanceLeaseRepository | undefined } = {}): SpendingRepository {
  const executor = database.sqlite ? createSqliteExecutor(database.sqlite) : createKyselyExecutor(database);
  const { leases } = options;

  return {
    async reserve({ userId, keyId, amountNanoUsd, limits, now = Date.now() }) {
      if (!Number.isSafeInteger(amountNanoUsd) || amountNanoUsd < 0) throw new RangeError(`reserve: ${amountNanoUsd} is not a whole, non-negative number of nano-USD`);
      const keyQuota = limits.keyQuotaNanoUsd !== undefined;
      const periodStart = limits.period ? startOfSpendPeriod(limits.period, now) : undefined;
      const reservation: SpendingReservation = { userId, keyId, amountNanoUsd, balance: limits.balance, keyQuota, periodStartedAt: periodStart, leaseId: undefined };
      if (leases !== undefined && limits.balance && !keyQuota && periodStart === undefined) {
        reservation.leaseId = await leases.reserve(userId, amountNanoUsd, now);
        if (reservation.leaseId !== undefined) return { ok: true, reservation };
      }
      const steps: Array<Step & { limit: SpendingRefusal['limit'] }> = [];
      if (limits.balance || periodStart !== undefined) {
        steps.push({
          text: takeFromUserSql(limits.balance, periodStart !== undefined),
          parameters: { userId, amount: amountNanoUsd, ...(periodStart === undefined ? {} : { periodStart, period: limits.period! }) },
          limit: limits.balance ? 'balance' : 'period_limit',
          returns: periodStart !== undefined,
        });
      }
      if (keyQuota) steps.push({ text: TAKE_FROM_KEY_SQL, parameters: { keyId, amount: amountNanoUsd, quota: limits.keyQuotaNanoUsd! }, limit: 'key_quota' });
      if (steps.length === 0) return { ok: true, reservation };
      const { failed, rows } = await executor.inTransaction(steps, true);
      if (failed === undefined) {
        // Settle against the period the amount was counted in, as stored: it may be later than ours.
        const stored = rows[0]?.period_started_at;
        if (periodStart !== undefined && stored !== undefined && stored !== null) reservation.periodStartedAt = Number(stored);
        return { ok: true, reservation };
      }
      return { ok: false, refusal: await describeRefusal(executor, { userId, keyId, amountNanoUsd, limits, periodStart, failedStep: steps[failed]!.limit }) };
    },

    async settle(reservation, costNanoUsd) {
      const steps = settleSteps(reservation, costNanoUsd);
      if (steps.length > 0) await executor.inTransaction(steps, false);
    },

    async settleAllWithin(trx, settlements) {
      for (const step of orderedSettleSteps(settlements)) await executor.runWithin(trx, step);
    },

    settleAllWithinSync: executor.runWithinSync && ((settlements) => {
      for (const step of orderedSettleSteps(settlements)) executor.runWithinSync!(step);
    }),

    settled(reservation, costNanoUsd) {
      if (reservation.leaseId === undefined || leases === undefined) return;
      leases.settled(reservation.userId, reservation.leaseId, reservation.amountNanoUsd, Number.isSafeInteger(costNanoUsd) && costNanoUsd >= 0 ? costNanoUsd : 0);
    },
  };
}

/** The statements that replace a reservation by the real cost. */
function settleSteps(reservation: SpendingReservation, costNanoUsd: number): Step[] {
  if (!Number.isSafeInteger(costNanoUsd) || costNanoUsd < 0) throw new RangeError(`settle: ${costNanoUsd} is not a whole, non-negative number of nano-USD`);
  const { userId, keyId, amountNanoUsd, balance, keyQuota, periodStartedAt, leaseId } = reservation;
  if (leaseId !== undefined) {
    const parameters = { userId, leaseId, cost: costNanoUsd };
    return [
      { text: SETTLE_LEASE_SQL, parameters },
      { text: SETTLE_RECLAIMED_LEASE_SQL, parameters },
    ];
  }
  const steps: Step[] = [];
  const money = { reserved: amountNanoUsd, cost: costNanoUsd };
  if (balance || periodStartedAt !== undefined) {
    steps.push({ text: settleUserSql(balance, periodStartedAt !== undefined), parameters: { userId, ...money, ...(periodStartedAt === undefined ? {} : { periodStart: periodStartedAt }) } });
  }
  if (keyQuota) steps.push({ text: SETTLE_KEY_SQL, parameters: { keyId, ...money } });
  return steps;
}

/**
 * The statements settling a batch, in the lock order of every spending
 * statement: the balance leases' rows first (by lease id), then per user (by
 * id) the user's row and its keys' rows. A lease settlement's second
 * statement (the balance, when the lease is gone) belongs with its user.
 */
function orderedSettleSteps(settlements: readonly Settlement[]): Step[] {
  const leaseSteps: Array<{ order: string; step: Step }> = [];
  const userSteps: Array<{ user: string; key: string; steps: Step[] }> = [];
  for (const { reservation, costNanoUsd } of settlements) {
    const steps = settleSteps(reservation, costNanoUsd);
    if (reservation.leaseId !== undefined) {
      leaseSteps.push({ order: reservation.leaseId, step: steps[0]! });
      userSteps.push({ user: reservation.userId, key: '', steps: steps.slice(1) });
    } else {
      userSteps.push({ user: reservation.userId, key: reservation.keyId, steps });
    }
  }
  leaseSteps.sort((a, b) => compareText(a.order, b.order));
  userSteps.sort((a, b) => compareText(a.user, b.user) || compareText(a.key, b.key));
  const ordered = leaseSteps.map(({ step }) => step);
  for (const { steps } of userSteps) ordered.push(...steps);
  return ordered;
}

/**
 * Reads the figures of the limit that refused. The user step checks the
 * balance and the period limit together, so which of the two refused is
 * found from the current figures.
 */
async function describeRefusal(
  executor: Executor,
  options: { userId: string; keyId: string; amountNanoUsd: number; limits: SpendingLimits; periodStart: number | undefined; failedStep: SpendingRefusal['limit'] },
): Promise<SpendingRefusal> {
  const row = (await executor.readOne({ text: REFUSAL_SQL, parameters: { userId: options.userId, keyId: options.keyId } })) ?? {};
  const number = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
  if (options.failedStep === 'key_quota') {
    return { limit: 'key_quota', quotaNanoUsd: options.limits.keyQuotaNanoUsd ?? 0, usedNanoUsd: number(row.quota_used) };
  }
  const balanceNanoUsd = number(row.balance);
  if (options.limits.balance && balanceNanoUsd < options.amountNanoUsd) return { limit: 'balance', balanceNanoUsd };
  const spent = options.periodStart !== undefined && number(row.period_started_at) >= options.periodStart ? number(row.period_spent) : 0;
  return { limit: 'period_limit', period: options.limits.period!, limitNanoUsd: number(row.spend_limit), spentNanoUsd: spent };
}

/** A request's steps waiting for the next group commit. */
interface Pending {
  steps: Step[];
  mustChange: boolean;
  resolve: (result: StepsResult) => void;
  reject: (error: unknown) => void;
}

/** SQLite: prepared once, run synchronously in immediate transactions — no query builder, no awaits. */
function createSqliteExecutor(sqlite: NonNullable<Database['sqlite']>): Executor {
  const statements = new Map<string, ReturnType<typeof sqlite.prepare>>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = sqlite.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const runWithinSync = (step: Step) => {
    // The caller's transaction is open on this same connection (SQLite has one per process here).
    if (!sqlite.inTransaction) throw new Error('settleWithin: no transaction is open on the SQLite connection');
    prepare(step.text).run(step.parameters);
  };
  const runSteps = (steps: Step[], mustChange: boolean) => {
    const rows: StepsResult['rows'] = [];
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      let changed: boolean;
      if (step.returns) {
        const row = prepare(step.text).get(step.parameters) as Record<string, unknown> | undefined;
        rows.push(row);
        changed = row !== undefined;
      } else {
        rows.push(undefined);
        changed = prepare(step.text).run(step.parameters).changes > 0;
      }
      if (mustChange && !changed) throw new Refused(String(index));
    }
    return rows;
  };
  const run = sqlite.transaction(runSteps);
  /**
   * One request's steps: alone in an immediate transaction, or inside a group's, as a savepoint
   * when it has several steps. A single conditional statement changes all or nothing by itself,
   * so it needs neither (alone, it is its own transaction: no BEGIN and COMMIT statements around it).
   */
  const attempt = ({ steps, mustChange }: Pending, alone: boolean): StepsResult => {
    try {
      return { failed: undefined, rows: steps.length === 1 ? runSteps(steps, mustChange) : alone ? run.immediate(steps, mustChange) : run(steps, mustChange) };
    } catch (error) {
      if (error instanceof Refused) return { failed: Number(error.message), rows: [] };
      throw error;
    }
  };
  // Called inside a transaction, better-sqlite3 runs `run` as a savepoint: a refused request
  // rolls back only its own steps, and the group shares one commit.
  const runGroup = sqlite.transaction((group: Pending[]) => group.map((pending) => attempt(pending, false)));
  let queue: Pending[] = [];
  const flush = () => {
    // Another transaction (kysely's, spanning awaits) may be open on this one connection: never
    // nest inside it, or its rollback would silently undo this one. It ends within a few turns.
    if (sqlite.inTransaction) {
      setImmediate(flush);
      return;
    }
    const group = queue;
    queue = [];
    let results: StepsResult[];
    try {
      results = group.length === 1 ? [attempt(group[0]!, true)] : runGroup.immediate(group);
    } catch (error) {
      for (const pending of group) pending.reject(error);
      return;
    }
    for (let index = 0; index < group.length; index++) group[index]!.resolve(results[index]!);
  };
  return {
    /**
     * Group commit: the requests that ask during one turn of the event loop (their bodies arrived
     * together) are run together once that turn's I/O is handled, in one write transaction, each in
     * its own savepoint. Each still sees the ones before it, so no money is spent twice; one
     * commit (one WAL append, one round of file locks) serves them all.
     */
    inTransaction(steps, mustChange) {
      return new Promise<StepsResult>((resolve, reject) => {
        if (queue.push({ steps, mustChange, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    async readOne(step) {
      return prepare(step.text).get(step.parameters) as Record<string, unknown> | undefined;
    },
    async runWithin(_trx, step) {
      runWithinSync(step);
    },
    runWithinSync,
  };
}

/** PostgreSQL (and any other kysely dialect): the same statements through kysely, `@name` bound as parameters. */
function createKyselyExecutor(database: Database): Executor {
  return {
    async inTransaction(steps, mustChange) {
      try {
        const rows = await database.db.transaction().execute(async (trx) => {
          const returned: StepsResult['rows'] = [];
          for (let index = 0; index < steps.length; index++) {
            const step = steps[index]!;
            const result = await executeNamedSql(trx, step);
            returned.push(step.returns ? result.rows[0] : undefined);
            const changed = step.returns ? result.rows.length > 0 : Number(result.numAffectedRows ?? 0n) > 0;
            if (mustChange && !changed) throw new Refused(String(index));
          }
          return returned;
        });
        return { failed: undefined, rows };
      } catch (error) {
        if (error instanceof Refused) return { failed: Number(error.message), rows: [] };
        throw error;
      }
    },
    async readOne(step) {
      return (await executeNamedSql(database.db, step)).rows[0];
    },
    async runWithin(trx, step) {
      await executeNamedSql(trx, step);
    },
  };
}
