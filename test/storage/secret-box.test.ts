import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createSecretBox } from '../../src/storage/secret-box.js';

describe('createSecretBox', () => {
  const key = randomBytes(32);

  test('round-trips text, including empty and non-ASCII', () => {
    const box = createSecretBox(key);
    const samples = ['', 'sk-ant-api03', JSON.stringify({ apiKeys: ['a', 'b'] }), 'ünïcødé ✓ 🔑', 'x'.repeat(100_000)];
    for (const plaintext of samples) {
      expect(box.open(box.seal(plaintext))).toBe(plaintext);
    }
  });

  test('uses the documented format with a fresh 12-byte IV every time', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('same');
    const parts = sealed.split(':');
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe('v1');
    expect(Buffer.from(parts[1]!, 'base64')).toHaveLength(12);
    expect(Buffer.from(parts[2]!, 'base64')).toHaveLength(16);
    expect(box.seal('same')).not.toBe(sealed);
    expect(sealed).not.toContain('same');
  });

  test('a different box with the same key opens it; a different key is rejected clearly', () => {
    const sealed = createSecretBox(key).seal('secret');
    expect(createSecretBox(Buffer.from(key)).open(sealed)).toBe('secret');
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/authentication failed \(wrong secret key/);
  });

  test('detects tampering with the ciphertext, the tag or the IV', () => {
    const box = createSecretBox(key);
    const [version, iv, tag, ciphertext] = box.seal('do not touch').split(':') as [string, string, string, string];
    const flip = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64');
    };
    for (const tampered of [
      [version, iv, tag, flip(ciphertext)],
      [version, iv, flip(tag), ciphertext],
      [version, flip(iv), tag, ciphertext],
    ]) {
      expect(() => box.open(tampered.join(':'))).toThrow(/authentication failed/);
    }
  });

  test('rejects malformed values and unknown versions', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('x');
    expect(() => box.open('plain text')).toThrow(/malformed/);
    expect(() => box.open(sealed.replace(/^v1:/, 'v2:'))).toThrow(/unsupported format version "v2"/);
    expect(() => box.open(`${sealed}:extra`)).toThrow(/malformed/);
    expect(() => box.open(sealed.replace(/:[^:]+:/, ':AAAA:'))).toThrow(/malformed/);
    expect(() => box.open(`${sealed.slice(0, -2)}!!`)).toThrow(/malformed/);
  });

  test('requires a 32-byte key and copies it', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes, got 16/);
    const mutable = Buffer.from(key);
    const box = createSecretBox(mutable);
    const sealed = box.seal('stable');
    mutable.fill(0);
    expect(box.open(sealed)).toBe('stable');
  });
});
