import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Encrypts small secrets (channel credentials) for storage at rest. */
export interface SecretBox {
  /** Returns `v1:<base64 iv>:<base64 tag>:<base64 ciphertext>`. */
  seal(plaintext: string): string;
  /** Inverse of `seal`; throws if the value is malformed, was tampered with, or was sealed with another key. */
  open(sealed: string): string;
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
/** 96-bit IVs are GCM's native size; random ones are safe for far more messages than we will ever seal. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * AES-256-GCM with a fresh random IV per message. GCM authenticates as well as
 * encrypts, so a modified database value or the wrong key is detected on
 * `open` instead of yielding garbage credentials. The version prefix leaves
 * room to change algorithm or key later while still reading old values.
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) {
    throw new Error(`secret box key must be 32 bytes, got ${key.length}`);
  }
  // Private copy: the caller mutating or zeroing their buffer must not change our key.
  const secretKey = Buffer.from(key);

  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secretKey, iv, { authTagLength: TAG_BYTES });
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
    },

    open(sealed) {
      const parts = sealed.split(':');
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new Error(
          parts[0] !== VERSION && parts.length === 4
            ? `cannot open sealed secret: unsupported format version "${parts[0]}"`
            : 'cannot open sealed secret: malformed value (expected v1:<iv>:<tag>:<ciphertext>)',
        );
      }
      const [, ivText = '', tagText = '', ciphertextText = ''] = parts;
      const iv = decodeBase64(ivText);
      const tag = decodeBase64(tagText);
      const ciphertext = decodeBase64(ciphertextText);
      if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || ciphertext === undefined) {
        throw new Error('cannot open sealed secret: malformed value (bad iv, tag or ciphertext encoding)');
      }
      const decipher = createDecipheriv(ALGORITHM, secretKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // OpenSSL only says "Unsupported state or unable to authenticate data".
        throw new Error(
          'cannot open sealed secret: authentication failed (wrong secret key, or the stored value was modified)',
        );
      }
    },
  };
}

/** Strict decoding: Node's decoder silently skips invalid characters. */
function decodeBase64(text: string): Buffer | undefined {
  return BASE64.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : undefined;
}
