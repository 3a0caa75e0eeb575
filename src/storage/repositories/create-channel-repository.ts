import type { Selectable } from 'kysely';
import type { Channel } from '../channel.js';
import type { ChannelCredentials } from '../channel-credentials.js';
import type { ChannelInput } from '../channel-input.js';
import type { Database } from '../database.js';
import type { ChannelsTable } from '../database-schema.js';
import { generateId } from '../generate-id.js';
import type { SecretBox } from '../secret-box.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { writeTransaction } from '../write-transaction.js';
import { bumpRevision } from './bump-revision.js';

/**
 * Upstream channels. Credentials are sealed with the secret box on write and
 * opened on read, so the database (and its backups) never hold them in clear.
 * Every change bumps the `channels` revision in the same transaction.
 */
export interface ChannelRepository {
  /** Creates or replaces the channel called `input.name`; see `ChannelInput` for what is kept. */
  upsert(input: ChannelInput): Promise<Channel>;
  /** Sorted by name. Throws if any channel's credentials cannot be decrypted (wrong secret key). */
  list(): Promise<Channel[]>;
  findByName(name: string): Promise<Channel | undefined>;
  /** Returns whether the channel exists. */
  setEnabled(name: string, enabled: boolean): Promise<boolean>;
  /** Returns whether the channel existed. */
  remove(name: string): Promise<boolean>;
  count(): Promise<number>;
}

const REVISION = 'channels';
const SOURCES: ReadonlySet<string> = new Set<Channel['source']>(['config', 'cli', 'bootstrap', 'api']);

export function createChannelRepository(database: Database, secretBox: SecretBox): ChannelRepository {
  const { db } = database;

  const toChannel = (row: Selectable<ChannelsTable>): Channel => ({
    id: row.id,
    name: row.name,
    type: row.type,
    baseUrl: row.base_url,
    credentials: openCredentials(secretBox, row),
    models: parseJson(row, 'models', isStringArray),
    modelMap: parseJson(row, 'model_map', isStringRecord),
    priority: toSafeInteger(row.priority, 'channels.priority'),
    weight: toSafeInteger(row.weight, 'channels.weight'),
    enabled: toSafeInteger(row.enabled, 'channels.enabled') === 1,
    settings: parseJson(row, 'settings', isPlainObject),
    source: row.source as Channel['source'],
    createdAt: toSafeInteger(row.created_at, 'channels.created_at'),
    updatedAt: toSafeInteger(row.updated_at, 'channels.updated_at'),
  });

  return {
    async upsert(input) {
      validate(input);
      const now = Date.now();
      const definition = {
        type: input.type,
        base_url: input.baseUrl,
        credentials_encrypted: secretBox.seal(JSON.stringify({ apiKeys: input.credentials.apiKeys })),
        models: JSON.stringify(input.models),
        model_map: JSON.stringify(input.modelMap ?? {}),
        priority: input.priority ?? 0,
        weight: input.weight ?? 1,
        settings: JSON.stringify(input.settings ?? {}),
        source: input.source,
        updated_at: now,
      };
      const enabled = input.enabled === undefined ? undefined : input.enabled ? 1 : 0;
      const row = await writeTransaction(database, async (trx) => {
        const written = await trx
          .insertInto('channels')
          .values({ id: generateId('ch'), name: input.name, ...definition, enabled: enabled ?? 1, created_at: now })
          // id and created_at survive updates; enabled only changes when given.
          .onConflict((conflict) =>
            conflict.column('name').doUpdateSet(enabled === undefined ? definition : { ...definition, enabled }),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        await bumpRevision(trx, REVISION);
        return written;
      });
      return toChannel(row);
    },

    async list() {
      const rows = await db.selectFrom('channels').selectAll().execute();
      // Sorted here rather than in SQL: PostgreSQL's collation and SQLite's
      // binary order disagree on case and punctuation, and callers should see
      // the same order on both.
      return rows.map(toChannel).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async findByName(name) {
      const row = await db.selectFrom('channels').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toChannel(row);
    },

    async setEnabled(name, enabled) {
      return writeTransaction(database, async (trx) => {
        const result = await trx
          .updateTable('channels')
          .set({ enabled: enabled ? 1 : 0, updated_at: Date.now() })
          .where('name', '=', name)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) {
          return false;
        }
        await bumpRevision(trx, REVISION);
        return true;
      });
    },

    async remove(name) {
      return writeTransaction(database, async (trx) => {
        const result = await trx.deleteFrom('channels').where('name', '=', name).executeTakeFirst();
        if (result.numDeletedRows === 0n) {
          return false;
        }
        await bumpRevision(trx, REVISION);
        return true;
      });
    },

    async count() {
      const row = await db
        .selectFrom('channels')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return toSafeInteger(row.count, 'channel count');
    },
  };
}

function validate(input: ChannelInput): void {
  const where = `channel ${JSON.stringify(input.name)}`;
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name !== input.name.trim()) {
    throw new Error(`invalid channel name ${JSON.stringify(input.name)}`);
  }
  if (typeof input.type !== 'string' || input.type.trim() === '') {
    throw new Error(`${where}: type is required`);
  }
  let url: URL;
  try {
    url = new URL(input.baseUrl);
  } catch {
    throw new Error(`${where}: base URL ${JSON.stringify(input.baseUrl)} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${where}: base URL must be http or https`);
  }
  if (!isStringArray(input.credentials?.apiKeys)) {
    throw new Error(`${where}: credentials.apiKeys must be an array of strings`);
  }
  if (!isStringArray(input.models)) {
    throw new Error(`${where}: models must be an array of strings`);
  }
  if (input.modelMap !== undefined && !isStringRecord(input.modelMap)) {
    throw new Error(`${where}: modelMap must map strings to strings`);
  }
  if (input.priority !== undefined && !Number.isSafeInteger(input.priority)) {
    throw new Error(`${where}: priority must be an integer`);
  }
  if (input.weight !== undefined && !(Number.isSafeInteger(input.weight) && input.weight >= 0)) {
    throw new Error(`${where}: weight must be a non-negative integer`);
  }
  if (input.settings !== undefined && !isPlainObject(input.settings)) {
    throw new Error(`${where}: settings must be an object`);
  }
  if (!SOURCES.has(input.source)) {
    throw new Error(`${where}: invalid source ${JSON.stringify(input.source)}`);
  }
}

function openCredentials(secretBox: SecretBox, row: Selectable<ChannelsTable>): ChannelCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretBox.open(row.credentials_encrypted));
  } catch (error) {
    // Name the channel: "wrong secret key" is much easier to act on when you
    // know which row it came from.
    throw new Error(`channel ${JSON.stringify(row.name)}: cannot read credentials: ${describe(error)}`, {
      cause: error,
    });
  }
  const apiKeys = (parsed as { apiKeys?: unknown } | null)?.apiKeys;
  if (!isStringArray(apiKeys)) {
    throw new Error(`channel ${JSON.stringify(row.name)}: stored credentials have an unexpected shape`);
  }
  return { apiKeys };
}

function parseJson<T>(
  row: Selectable<ChannelsTable>,
  column: 'models' | 'model_map' | 'settings',
  check: (value: unknown) => value is T,
): T {
  let value: unknown;
  try {
    value = JSON.parse(row[column]);
  } catch {
    value = undefined;
  }
  if (!check(value)) {
    throw new Error(`channel ${JSON.stringify(row.name)}: column ${column} does not hold the expected JSON`);
  }
  return value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isPlainObject(value) && Object.values(value).every((item) => typeof item === 'string');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
