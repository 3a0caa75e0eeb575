import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { resolveSecretKey } from '../../src/storage/resolve-secret-key.js';

describe('resolveSecretKey', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mixroute-secret-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('uses 64 hex characters verbatim', () => {
    const key = randomBytes(32);
    expect(resolveSecretKey({ configured: key.toString('hex'), dataDir })).toEqual(key);
    expect(resolveSecretKey({ configured: ` ${key.toString('hex').toUpperCase()}\n`, dataDir })).toEqual(key);
  });

  test('uses base64 and base64url of 32 bytes verbatim', () => {
    const key = randomBytes(32);
    expect(resolveSecretKey({ configured: key.toString('base64'), dataDir })).toEqual(key);
    expect(resolveSecretKey({ configured: key.toString('base64url'), dataDir })).toEqual(key);
  });

  test('derives a key from any other string with scrypt and the fixed salt', () => {
    const derived = resolveSecretKey({ configured: 'correct horse battery staple', dataDir });
    expect(derived).toHaveLength(32);
    expect(resolveSecretKey({ configured: 'correct horse battery staple', dataDir })).toEqual(derived);
    expect(resolveSecretKey({ configured: 'correct horse battery staples', dataDir })).not.toEqual(derived);
    // Pinned: changing the salt or cost parameters would orphan every stored credential.
    const expected = scryptSync('correct horse battery staple', 'mixroute/secret-box/v1', 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(derived).toEqual(expected);
    // 63 hex characters is not a raw key: it is a passphrase.
    expect(resolveSecretKey({ configured: 'a'.repeat(63), dataDir })).toHaveLength(32);
  });

  test('without configuration, creates secret.key (mode 0600) once and then reuses it', async () => {
    const nested = join(dataDir, 'state');
    const first = resolveSecretKey({ dataDir: nested });
    expect(first).toHaveLength(32);
    const file = join(nested, 'secret.key');
    expect((await readFile(file, 'utf8')).trim()).toBe(first.toString('hex'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(resolveSecretKey({ dataDir: nested })).toEqual(first);
    expect(resolveSecretKey({ configured: '   ', dataDir: nested })).toEqual(first);
    expect(await readdir(nested)).toEqual(['secret.key']); // no temporary files left behind
  });

  test('reads a base64 key file, and refuses to replace a corrupt one', async () => {
    const key = randomBytes(32);
    await writeFile(join(dataDir, 'secret.key'), `${key.toString('base64')}\n`);
    expect(resolveSecretKey({ dataDir })).toEqual(key);
    await writeFile(join(dataDir, 'secret.key'), 'garbage');
    expect(() => resolveSecretKey({ dataDir })).toThrow(/not a 32-byte key/);
    expect(await readFile(join(dataDir, 'secret.key'), 'utf8')).toBe('garbage');
  });
});
