import type { ServerConfig } from '../config/config.js';
import { createDatabase } from '../storage/create-database.js';
import { createApiKeyRepository } from '../storage/repositories/create-api-key-repository.js';
import { createChannelRepository } from '../storage/repositories/create-channel-repository.js';
import { createLedgerRepository } from '../storage/repositories/create-ledger-repository.js';
import { createRevisionRepository } from '../storage/repositories/create-revision-repository.js';
import { createUserRepository } from '../storage/repositories/create-user-repository.js';
import { createPriceRepository } from '../storage/repositories/create-price-repository.js';
import { createSpendingRepository } from '../storage/repositories/create-spending-repository.js';
import { createBalanceLeaseRepository } from '../storage/repositories/create-balance-lease-repository.js';
import { createUserGroupRepository } from '../storage/repositories/create-user-group-repository.js';
import { createSecretBox } from '../storage/secret-box.js';
import { resolveSecretKey } from '../storage/resolve-secret-key.js';
import type { StorageHandles } from './storage-handles.js';

/**
 * Opens (and migrates) the configured database and builds every repository on
 * it. A server passes `backgroundCheckpointMs` so SQLite's checkpoints (and
 * their fsyncs) run off its event loop; the CLI's short runs do not need it.
 */
export async function openStorage(
  server: ServerConfig,
  options: { backgroundCheckpointMs?: number; onCheckpointError?: (message: string) => void } = {},
): Promise<StorageHandles> {
  const database = await createDatabase({
    url: server.database_url!,
    ...(server.database_schema === undefined ? {} : { schema: server.database_schema }),
    ...options,
  });
  const secretBox = createSecretBox(resolveSecretKey({ configured: server.secret_key, dataDir: server.data_dir }));
  const balanceLeases = server.balance_leases ? createBalanceLeaseRepository(database) : undefined;
  return {
    database,
    users: createUserRepository(database),
    apiKeys: createApiKeyRepository(database),
    channels: createChannelRepository(database, secretBox),
    ledger: createLedgerRepository(database),
    revisions: createRevisionRepository(database),
    spending: createSpendingRepository(database, { leases: balanceLeases }),
    balanceLeases,
    userGroups: createUserGroupRepository(database),
    prices: createPriceRepository(database),
  };
}
