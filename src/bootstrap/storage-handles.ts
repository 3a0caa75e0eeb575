import type { Database } from '../storage/database.js';
import type { ApiKeyRepository } from '../storage/repositories/create-api-key-repository.js';
import type { ChannelRepository } from '../storage/repositories/create-channel-repository.js';
import type { LedgerRepository } from '../storage/repositories/create-ledger-repository.js';
import type { RevisionRepository } from '../storage/repositories/create-revision-repository.js';
import type { UserRepository } from '../storage/repositories/create-user-repository.js';
import type { PriceRepository } from '../storage/repositories/create-price-repository.js';
import type { SpendingRepository } from '../storage/repositories/create-spending-repository.js';
import type { BalanceLeaseRepository } from '../storage/repositories/create-balance-lease-repository.js';
import type { UserGroupRepository } from '../storage/repositories/create-user-group-repository.js';

/** The open database and its repositories, as the server and the CLI both use them. */
export interface StorageHandles {
  database: Database;
  users: UserRepository;
  apiKeys: ApiKeyRepository;
  channels: ChannelRepository;
  ledger: LedgerRepository;
  revisions: RevisionRepository;
  /** Reservations against balances, key quotas and period limits (on every billed request's path). */
  spending: SpendingRepository;
  /** This process's leases of users' balances, when `server.balance_leases` is on (a server renews and gives them back). */
  balanceLeases?: BalanceLeaseRepository | undefined;
  userGroups: UserGroupRepository;
  /** Prices set at run time, before the configuration's and the defaults. */
  prices: PriceRepository;
}
