import type { StorageHandles } from '../bootstrap/storage-handles.js';
import type { ModelPrice } from '../metering/pricing/model-price.js';

/** What the admin API works on: storage, and the configuration's prices (to list the effective price table). */
export interface AdminContext {
  storage: Pick<StorageHandles, 'users' | 'apiKeys' | 'channels' | 'userGroups' | 'prices' | 'ledger'>;
  /** The configuration file's `prices:`, converted; matched after run-time prices and before the defaults. */
  configPrices: readonly ModelPrice[];
}
