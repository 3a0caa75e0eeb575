import type { Database } from '../storage/database.js';
import type { ApiKeyRepository } from '../storage/repositories/create-api-key-repository.js';
import type { ChannelRepository } from '../storage/repositories/create-channel-repository.js';
import type { LedgerRepository } from '../storage/repositories/create-ledger-repository.js';
import type { RevisionRepository } from '../storage/repositories/create-revision-repository.js';
import type { UserRepository } from '../storage/repositories/create-user-repository.js';

/** The open database and its repositories, as the server and the CLI both use them. */
export interface StorageHandles {
  database: Database;
  users: UserRepository;
  apiKeys: ApiKeyRepository;
  channels: ChannelRepository;
  ledger: LedgerRepository;
  revisions: RevisionRepository;
}
