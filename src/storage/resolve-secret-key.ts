import { randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ResolveSecretKeyOptions {
  /** The configured key or passphrase (e.g. from MIXROUTE_SECRET_KEY); blank means not configured. */
  configured?: string;
  /** Where `secret.key` lives when nothing is configured. */
  dataDir: string;
}

export const SECRET_KEY_FILE_NAME = 'secret.key';

/**
 * Fixed, public salt for deriving a key from a passphrase. A per-install
 * random salt would have to be stored next to the data, and losing it would
 * make every credential unreadable even with the right passphrase; the salt's
 * job here is only domain separation (the same passphrase used elsewhere gives
 * a different key). Changing it makes existing data unreadable: never do.
 */
const PASSPHRASE_SALT = 'mixroute/secret-box/v1';
/** scrypt cost: N=2^15, r=8 (~32 MiB, ~50-100 ms once at startup). */
const SCRYPT_OPTIONS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * The 32-byte key for `createSecretBox`, which encrypts channel credentials.
 *
 * - 64 hex characters, or base64 of exactly 32 bytes: used verbatim.
 * - Any other non-blank string: a passphrase, stretched with scrypt.
 * - Nothing configured: `<dataDir>/secret.key`, created with a random key on
 *   first use (mode 0600). This is so credentials are encrypted at rest even on
 *   a zero-config start: a copied database file or backup alone does not leak
 *   upstream API keys. The flip side is that the key file must be backed up
 *   with the database; without it stored credentials cannot be decrypted.
 */
export function resolveSecretKey(options: ResolveSecretKeyOptions): Buffer {
  const configured = options.configured?.trim();
  if (configured) {
    return parseRawKey(configured) ?? scryptSync(configured, PASSPHRASE_SALT, 32, SCRYPT_OPTIONS);
  }
  return readOrCreateKeyFile(join(options.dataDir, SECRET_KEY_FILE_NAME));
}

function parseRawKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    return Buffer.from(text, 'hex');
  }
  // base64 or base64url, padding optional; 32 bytes is 43 characters plus "=".
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) {
      return bytes;
    }
  }
  return undefined;
}

function readOrCreateKeyFile(path: string): Buffer {
  const existing = readKeyFile(path);
  if (existing !== undefined) {
    return existing;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Write a private temporary file, then hard-link it into place: the link
  // either atomically creates a complete key file or fails because another
  // process won the race, in which case its key is the one to use. Writing the
  // final name directly could let a concurrent starter read a half-written file.
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(temporary, 0o600); // the umask can only remove bits, but be explicit
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  } finally {
    unlinkSync(temporary);
  }
  const created = readKeyFile(path);
  if (created === undefined) {
    throw new Error(`secret key file ${path} disappeared while being created`);
  }
  return created;
}

function readKeyFile(path: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  const key = parseRawKey(text.trim());
  if (key === undefined) {
    // Never replace it: a new key would make every stored credential unreadable.
    throw new Error(`secret key file ${path} is not a 32-byte key (64 hex characters or base64); fix or restore it`);
  }
  return key;
}
