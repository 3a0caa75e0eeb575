import { describe, expect, it } from 'vitest';
import { resolveSessionId } from './resolve-session-id.js';

const SESSION = '3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f';
const DEVICE = 'a'.repeat(64);

describe('resolveSessionId', () => {
  it('prefers the x-claude-code-session-id header over the metadata', () => {
    const userId = JSON.stringify({ device_id: DEVICE, account_uuid: '', session_id: 'from-metadata' });
    expect(resolveSessionId({ header: SESSION, metadataUserId: userId })).toBe(SESSION);
  });

  it('reads session_id from metadata.user_id sent as a JSON string, as Claude Code sends it', () => {
    // Exactly the shape in shared/protocol/claude-code-traffic.md: a string holding JSON.
    const userId = `{"device_id":"${DEVICE}","account_uuid":"","session_id":"${SESSION}"}`;
    expect(resolveSessionId({ header: undefined, metadataUserId: userId })).toBe(SESSION);
  });

  it('reads the session from the legacy user_<hex>_account_<uuid>_session_<uuid> form', () => {
    const userId = `user_${DEVICE}_account_0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b_session_${SESSION}`;
    expect(resolveSessionId({ header: undefined, metadataUserId: userId })).toBe(SESSION);
    // Claude Code without a logged-in account leaves the account part empty.
    expect(resolveSessionId({ header: undefined, metadataUserId: `user_${DEVICE}_account__session_${SESSION}` })).toBe(SESSION);
  });

  it('ignores an empty header and falls back to the metadata', () => {
    expect(resolveSessionId({ header: '', metadataUserId: `user_x_account_y_session_${SESSION}` })).toBe(SESSION);
  });

  it('caps a session id from the header or the JSON form at 200 characters', () => {
    const long = 'h'.repeat(500);
    expect(resolveSessionId({ header: long, metadataUserId: undefined })).toBe('h'.repeat(200));
    expect(resolveSessionId({ header: undefined, metadataUserId: JSON.stringify({ session_id: long }) })).toBe('h'.repeat(200));
  });

  describe('bad input', () => {
    it('returns undefined when there is nothing usable', () => {
      const cases: unknown[] = [
        undefined,
        null,
        '',
        42,
        { session_id: SESSION }, // an object, not the JSON string Claude Code sends
        ['session'],
        'user-1234', // an ordinary caller-chosen user id
        `user_x_account_y_session_${SESSION}_trailing space`,
        '{"session_id": ', // truncated JSON
        '{"device_id":"d"}', // JSON without a session
        '{"session_id":""}',
        '{"session_id":12345}',
        '{"session_id":null}',
      ];
      for (const metadataUserId of cases) {
        expect(resolveSessionId({ header: undefined, metadataUserId }), JSON.stringify(metadataUserId)).toBeUndefined();
      }
    });

    // BUG (minor): the header and the JSON form are capped at 200 characters, the legacy
    // form is not, so a client can put a session id as long as its request body (up to
    // max_body_bytes) into every ledger row. Proposed fix: `return legacy?.[1]?.slice(0, 200);`
    it('caps a legacy-form session id at 200 characters like the other forms', () => {
      const long = 'a'.repeat(10_000);
      expect(resolveSessionId({ header: undefined, metadataUserId: `user_x_account_y_session_${long}` })).toBe('a'.repeat(200));
    });
  });
});
